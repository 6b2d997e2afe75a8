package ds01.containers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Site settings for the containers the portal makes. */
@ConfigMapping(prefix = "ds01.containers")
public interface ContainersConfig {

    /**
     * Base images every user may deploy besides their own {@code ds01-<uid>/*} images ({@code DS01_BASE_IMAGES},
     * comma-separated). The image catalogue adds AIME's base images to these.
     */
    Optional<List<String>> baseImages();

    /** A data directory to mount at {@code /data}; {@code {user}} becomes the user name (e.g. {@code /data/{user}}). */
    Optional<String> dataDirectory();

    /** A models directory to mount at {@code /models}; {@code {user}} as for the data directory. */
    Optional<String> modelsDirectory();

    /** How often the reconciler compares the engine with the database ({@code DS01_RECONCILE}): {@code 60s} or {@code off}. */
    @WithDefault("60s")
    String reconcile();

    /** Whether the reconciler runs once when the portal starts (tests turn it off and run it themselves). */
    @WithDefault("true")
    boolean reconcileAtStart();

    /** Mounts every container gets ({@code DS01_SITE_MOUNTS}): {@code /host/path:/inside[:ro]}, comma-separated. */
    Optional<List<String>> mounts();

    /** Devices every container gets ({@code DS01_SITE_DEVICES}): {@code /dev/name[:/dev/inside]}, comma-separated. */
    Optional<List<String>> devices();

    /** The systemd slice containers run under (e.g. {@code ds01.slice}); unset: the engine's default. */
    Optional<String> cgroupParent();
}
