package ds01.gpu;

import java.util.Optional;

/**
 * What one container can be given: a whole GPU with MIG off (id {@code "0"}) or one MIG device ({@code "0.1"}:
 * GPU 0, MIG device 1). {@code uuid} is what Docker is given; {@code weight} is the slot's share of a GPU in
 * GPU-equivalents (1 for a whole GPU, compute slices over the GPU's total for a MIG device).
 */
public record Slot(String id, String uuid, int gpuIndex, Optional<String> profile, double weight) {

    public boolean isWholeGpu() {
        return profile.isEmpty();
    }
}
