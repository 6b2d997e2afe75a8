package ds01.gpu;

import java.util.Optional;
import java.util.Set;

/**
 * A request for GPU slots: who, for which container (null until the container exists), how many, and
 * optionally only whole GPUs or only one MIG profile.
 */
public record AllocationRequest(String username, Set<String> hostGroups, Long containerId, int count,
        boolean wholeGpu, Optional<String> profile) {
}
