package ds01.limits;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the limits file is ({@code DS01_LIMITS_FILE}) and how often to look for changes to it. */
@ConfigMapping(prefix = "ds01.limits")
public interface LimitsConfig {

    /** Relative paths resolve against the portal's working directory. */
    @WithDefault("config/resource-limits.yaml")
    String file();

    /** Read by {@link LimitsFileWatch}'s schedule; declared here so a bad value fails at start. */
    @WithDefault("5s")
    Duration reloadInterval();

    /**
     * Host groups that place their members in a limits group when no {@code members} list names them
     * ({@code DS01_LIMITS_HOST_GROUPS}), e.g. {@code ds01-researchers=researcher,ds01-faculty=faculty}.
     */
    Optional<String> hostGroups();
}
