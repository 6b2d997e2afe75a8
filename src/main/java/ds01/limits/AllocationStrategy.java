package ds01.limits;

/** {@code gpu_allocation.strategy}, spelled in the file as DS01 does: least_allocated, ... */
public enum AllocationStrategy {
    LEAST_ALLOCATED, ROUND_ROBIN, PRIORITY_AWARE;

    public String fileName() {
        return name().toLowerCase();
    }
}
