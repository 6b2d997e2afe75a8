package ds01.launcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long the launcher waits for Jupyter, and how often proxied traffic is written down as activity. */
@ConfigMapping(prefix = "ds01.launcher")
public interface LauncherConfig {

    /** How long "Open Jupyter" waits for the server to answer ({@code DS01_JUPYTER_START_TIMEOUT}). */
    @WithDefault("60s")
    Duration jupyterStartTimeout();

    /**
     * The name users reach this server by over SSH ({@code DS01_SSH_HOST}), for their SSH config; unset, the host
     * name their browser used for the portal.
     */
    java.util.Optional<String> sshHost();

    /** At most one activity write per container per this interval: enough for idle detection by the minute. */
    @WithDefault("30s")
    Duration activityResolution();
}
