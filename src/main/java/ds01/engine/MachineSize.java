package ds01.engine;

/**
 * What the engine says this server has: its CPUs and memory (Docker's {@code info}: {@code NCPU}, {@code MemTotal}).
 * The engine refuses a container asking for more CPUs than these.
 */
public record MachineSize(int cpus, long memoryBytes) {

    public MachineSize {
        if (cpus < 1 || memoryBytes < 1) {
            throw new IllegalArgumentException("a server has at least one CPU and some memory, not " + cpus
                    + " CPUs and " + memoryBytes + " bytes");
        }
    }
}
