package ds01.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a limit is fitted to this server: a limit larger than the server means the server. The limits file is shared
 * by servers of different sizes (a student's 16 CPUs on a 2-core machine, a researcher's 48 on a 32-core one), and
 * the engine refuses a container asking for more CPUs than it has, so the container gets what the server has, and
 * the pages say so in words: "16 CPUs (this server has 2: you get 2)".
 */
public final class MachineFit {

    private static final long GIB = 1L << 30;

    private final MachineSize machine;

    public MachineFit(MachineSize machine) {
        this.machine = machine;
    }

    public MachineSize machine() {
        return machine;
    }

    /** "2 CPUs and 7.7g of memory". */
    public String machineWords() {
        return cpuCount(machine.cpus()) + " and " + bytes(machine.memoryBytes()) + " of memory";
    }

    /** The CPUs a container gets for a limit; no limit stays no limit (the whole server). */
    public Optional<Double> cpus(Optional<Double> limit) {
        return limit.map(c -> Math.min(c, machine.cpus()));
    }

    /** The memory a container gets for a limit. */
    public Optional<Long> memory(Optional<Long> limit) {
        return limit.map(m -> Math.min(m, machine.memoryBytes()));
    }

    /**
     * Memory plus swap, fitted with the memory: the swap part (above the memory) stays what the limit allows, so a
     * user with no swap ({@code memory_swap} equal to {@code memory}) still has none after the memory is cut.
     */
    public Optional<Long> memorySwap(Optional<Long> memoryLimit, Optional<Long> swapLimit) {
        if (swapLimit.isEmpty() || memoryLimit.isEmpty()) {
            return swapLimit;
        }
        long cut = memoryLimit.get() - memory(memoryLimit).orElseThrow();
        return Optional.of(Math.max(swapLimit.get() - cut, memory(memoryLimit).orElseThrow()));
    }

    /** The spec with its CPUs, memory and swap fitted to this server. */
    public ContainerSpec apply(ContainerSpec spec) {
        return new ContainerSpec(spec.name(), spec.username(), spec.uid(), spec.gid(), spec.project(), spec.image(),
                spec.workspace(), spec.dataDirectory(), spec.modelsDirectory(), spec.extraMounts(), spec.devices(),
                spec.gpus(), cpus(spec.cpus()), memory(spec.memoryBytes()),
                memorySwap(spec.memoryBytes(), spec.memorySwapBytes()), spec.shmBytes(), spec.pidsLimit(),
                spec.cgroupParent(), spec.createdBy());
    }

    /** "16 CPUs (this server has 2: you get 2)" when the limit is above this server; empty when it fits. */
    public Optional<String> cpuWords(Optional<Double> limit) {
        return limit.filter(c -> c > machine.cpus()).map(c -> cpuCount(c) + " (this server has " + machine.cpus()
                + ": you get " + machine.cpus() + ")");
    }

    /** "32g of memory (this server has 7.7g: you get 7.7g)" when the limit is above this server. */
    public Optional<String> memoryWords(Optional<Long> limit) {
        String has = bytes(machine.memoryBytes());
        return limit.filter(m -> m > machine.memoryBytes()).map(m -> bytes(m) + " of memory (this server has " + has
                + ": you get " + has + ")");
    }

    /** The words for what a spec's limits were fitted to, or empty when they all fit. */
    public Optional<String> words(ContainerSpec asked) {
        List<String> words = new ArrayList<>();
        cpuWords(asked.cpus()).ifPresent(words::add);
        memoryWords(asked.memoryBytes()).ifPresent(words::add);
        return words.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", words));
    }

    private static String cpuCount(double cpus) {
        String n = cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : String.valueOf(cpus);
        return n + (cpus == 1 ? " CPU" : " CPUs");
    }

    /** In DS01's way of writing sizes: whole tebi- or gibibytes as "64t", "32g", else one decimal, "7.7g". */
    static String bytes(long bytes) {
        if (bytes % (GIB << 10) == 0) {
            return bytes / (GIB << 10) + "t";
        }
        if (bytes % GIB == 0) {
            return bytes / GIB + "g";
        }
        if (bytes < GIB) {
            return (bytes + (1L << 20) - 1) / (1L << 20) + "m";
        }
        return String.format(Locale.ROOT, "%.1fg", bytes / (double) GIB);
    }
}
