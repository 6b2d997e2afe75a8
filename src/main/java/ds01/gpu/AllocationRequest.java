package ds01.gpu;

import java.util.Optional;
import java.util.Set;

/**
 * A request for GPU slots: who, for which container (null until the container exists), how many, and
 * optionally only whole GPUs, only one MIG profile, or one named slot ({@code "0"}, {@code "0.1"}).
 */
public record AllocationRequest(String username, Set<String> hostGroups, Long containerId, int count,
        boolean wholeGpu, Optional<String> profile, Optional<String> slot) {

    public AllocationRequest(String username, Set<String> hostGroups, Long containerId, int count, boolean wholeGpu,
            Optional<String> profile) {
        this(username, hostGroups, containerId, count, wholeGpu, profile, Optional.empty());
    }
}
