package ds01.limits;

/** The {@code gpu_allocation:} section, as far as the portal uses it. */
public record GpuAllocation(AllocationStrategy strategy, boolean respectReservations) {
    public static final GpuAllocation BUILT_IN = new GpuAllocation(AllocationStrategy.LEAST_ALLOCATED, true);
}
