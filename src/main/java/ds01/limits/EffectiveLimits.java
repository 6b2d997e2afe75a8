package ds01.limits;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What applies to one user right now, each value with the layer it came from.
 * {@code limits} holds every {@link LimitKey#PER_USER} key, {@code policies} every
 * {@link LimitKey#POLICIES} key: nothing is missing, "not set anywhere" resolves to the built-in value.
 */
public record EffectiveLimits(String username, Membership membership, Map<LimitKey<?>, Resolved<?>> limits,
        Map<LimitKey<?>, Resolved<?>> policies, Optional<Reservation> reservation) {

    public EffectiveLimits {
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
        policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    }

    @SuppressWarnings("unchecked")
    public <T> Resolved<T> get(LimitKey<T> key) {
        Resolved<?> r = limits.containsKey(key) ? limits.get(key) : policies.get(key);
        if (r == null) {
            throw new IllegalArgumentException(key + " is not a per-user limit or policy");
        }
        return (Resolved<T>) r;
    }

    public Optional<String> group() {
        return membership.group();
    }

    public Resolved<Double> maxGpuEquivalents() {
        return get(LimitKey.MAX_GPU_EQUIVALENTS);
    }

    /** DS01's seed-era quota: slots held across all containers, whatever their size. */
    public Resolved<Integer> maxMigInstances() {
        return get(LimitKey.MAX_MIG_INSTANCES);
    }

    public Resolved<Integer> maxGpuSlotsPerContainer() {
        return get(LimitKey.MAX_GPU_SLOTS_PER_CONTAINER);
    }

    public Resolved<Boolean> allowFullGpu() {
        return get(LimitKey.ALLOW_FULL_GPU);
    }

    public Resolved<Double> maxCpus() {
        return get(LimitKey.MAX_CPUS);
    }

    public Resolved<Long> memory() {
        return get(LimitKey.MEMORY);
    }

    public Resolved<Long> memorySwap() {
        return get(LimitKey.MEMORY_SWAP);
    }

    public Resolved<Long> shmSize() {
        return get(LimitKey.SHM_SIZE);
    }

    public Resolved<Integer> pidsLimit() {
        return get(LimitKey.PIDS_LIMIT);
    }

    public Resolved<Integer> maxContainersPerUser() {
        return get(LimitKey.MAX_CONTAINERS_PER_USER);
    }

    public Resolved<Duration> maxRuntime() {
        return get(LimitKey.MAX_RUNTIME);
    }

    public Resolved<Duration> idleTimeout() {
        return get(LimitKey.IDLE_TIMEOUT);
    }

    public Resolved<Duration> gpuHoldAfterStop() {
        return get(LimitKey.GPU_HOLD_AFTER_STOP);
    }

    public Resolved<Duration> containerHoldAfterStop() {
        return get(LimitKey.CONTAINER_HOLD_AFTER_STOP);
    }

    public Resolved<Integer> priority() {
        return get(LimitKey.PRIORITY);
    }
}
