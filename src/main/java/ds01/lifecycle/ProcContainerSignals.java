package ds01.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a container's counters from the kernel: {@code /proc/<pid>/cgroup} names its cgroup, whose CPU time is in
 * {@code cpu.stat} (cgroup v2) or {@code cpuacct.usage} (v1), and {@code /proc/<pid>/net/dev} holds its network
 * namespace's counters. Works whatever cgroup driver or parent slice the engine uses.
 */
@ApplicationScoped
public class ProcContainerSignals implements ContainerSignals {

    private final Path proc;
    private final Path cgroups;

    public ProcContainerSignals() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    ProcContainerSignals(Path proc, Path cgroups) {
        this.proc = proc;
        this.cgroups = cgroups;
    }

    @Override
    public Optional<Counters> read(int pid) {
        try {
            List<String> memberships = Files.readAllLines(proc.resolve(pid + "/cgroup"));
            return Optional.of(new Counters(cpuNanos(memberships), networkBytes(Files.readAllLines(proc.resolve(pid
                    + "/net/dev")))));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the counters of process " + pid + ": " + e.getMessage(), e);
        }
    }

    private long cpuNanos(List<String> memberships) throws IOException {
        for (String line : memberships) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains("cpuacct")) {
                Path usage = cgroups.resolve(parts[1]).resolve(parts[2].substring(1)).resolve("cpuacct.usage");
                if (!Files.exists(usage)) {
                    usage = cgroups.resolve("cpuacct").resolve(parts[2].substring(1)).resolve("cpuacct.usage");
                }
                return Long.parseLong(Files.readString(usage).strip());
            }
        }
        for (String line : memberships) {
            if (line.startsWith("0::")) {
                for (String stat : Files.readAllLines(cgroups.resolve(line.substring(4)).resolve("cpu.stat"))) {
                    if (stat.startsWith("usage_usec ")) {
                        return Long.parseLong(stat.substring(11).strip()) * 1000;
                    }
                }
            }
        }
        throw new IOException("no CPU accounting in " + memberships);
    }

    /** Bytes received plus sent on every interface but loopback (traffic inside the container is not a user's). */
    static long networkBytes(List<String> netDev) {
        long total = 0;
        for (String line : netDev) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                continue;
            }
            String[] fields = line.substring(colon + 1).trim().split("\\s+");
            if (fields.length >= 9) {
                total += Long.parseLong(fields[0]) + Long.parseLong(fields[8]);
            }
        }
        return total;
    }
}
