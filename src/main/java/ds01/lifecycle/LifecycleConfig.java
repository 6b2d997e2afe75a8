package ds01.lifecycle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** How often the lifecycle jobs run, when they warn, and how far a runtime may be extended. */
@ConfigMapping(prefix = "ds01.lifecycle")
public interface LifecycleConfig {

    /** How often the sweep runs ({@code DS01_LIFECYCLE_INTERVAL}, e.g. 60s; "off" for none). */
    @WithDefault("60s")
    String interval();

    /** How long after start the first sweep waits ({@code DS01_LIFECYCLE_FIRST_DELAY}): the reconciler goes first. */
    @WithDefault("60s")
    String firstDelay();

    /** Per cent of the idle timeout at which the owner is warned, each once ({@code DS01_IDLE_WARNINGS}). */
    @WithDefault("80,95")
    List<Integer> idleWarnings();

    /** Per cent of the maximum runtime at which the owner is warned ({@code DS01_RUNTIME_WARNINGS}). */
    @WithDefault("75,90")
    List<Integer> runtimeWarnings();

    /** The most an owner may extend a container's runtime, in all ({@code DS01_MAX_RUNTIME_EXTENSION}). */
    @WithDefault("24h")
    Duration maxRuntimeExtension();
}
