package ds01.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the engine is told about a container the portal makes. Built from validated parts only
 * (invariant 7); nothing here comes straight from what a user typed.
 *
 * @param gpus         slot id to the UUID Docker is given, in order; empty for CPU-only
 * @param extraMounts  site-wide mounts an admin chose from the config, never a user's path
 * @param devices      site-wide devices from the config ({@code /dev/x} or {@code /dev/x:/dev/y})
 * @param cpus         CPUs (fractions allowed); empty: no limit
 * @param cgroupParent the systemd slice to run under, when the config enables it
 */
public record ContainerSpec(String name, String username, int uid, int gid, String project, String image,
        Path workspace, Optional<Path> dataDirectory, Optional<Path> modelsDirectory, List<Mount> extraMounts,
        List<String> devices, Map<String, String> gpus, Optional<Double> cpus, Optional<Long> memoryBytes, Optional<Long> memorySwapBytes,
        Optional<Long> shmBytes, Optional<Long> pidsLimit, Optional<String> cgroupParent, String createdBy) {

    /** Where Jupyter listens inside every container; the engine publishes it on 127.0.0.1 only, for the proxy. */
    public static final int JUPYTER_PORT = 8888;

    public ContainerSpec {
        extraMounts = List.copyOf(extraMounts);
        devices = List.copyOf(devices);
        gpus = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gpus));
    }

    /** A bind mount: host path, where it appears inside, read-only or not. */
    public record Mount(Path host, String inside, boolean readOnly) {
    }
}
