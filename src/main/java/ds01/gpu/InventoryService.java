package ds01.gpu;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * The machine's slots as last read from nvidia-smi, refreshed on a schedule ({@code ds01.gpu.refresh}, 30s)
 * and on demand. When nvidia-smi cannot be read, the last good inventory stays, with the problem beside it.
 */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);

    /** An inventory and when it was read; {@code problem} is set while the latest read failed. */
    public record Snapshot(Inventory inventory, Optional<GpuReport> report, Instant readAt, Optional<String> problem) {
    }

    private final NvidiaSmi nvidiaSmi;
    private volatile Snapshot snapshot;

    public InventoryService(NvidiaSmi nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    public Snapshot current() {
        Snapshot current = snapshot;
        return current != null ? current : refresh();
    }

    @Scheduled(identity = "gpu-inventory-refresh", every = "${ds01.gpu.refresh:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    public synchronized Snapshot refresh() {
        Optional<GpuReport> report = Optional.empty();
        Optional<MigListing> listing = Optional.empty();
        StringBuilder problems = new StringBuilder();
        try {
            NvidiaSmi.Output xml = nvidiaSmi.run("-q", "-x");
            if (xml.succeeded()) {
                report = Optional.of(GpuReport.parse(xml.stdout()));
            } else {
                problems.append("nvidia-smi -q -x exited with ").append(xml.exitCode()).append(". ");
            }
            NvidiaSmi.Output list = nvidiaSmi.run("-L");
            if (list.succeeded()) {
                listing = Optional.of(MigListing.parse(list.stdout()));
            } else {
                problems.append("nvidia-smi -L exited with ").append(list.exitCode()).append(". ");
            }
        } catch (NvidiaSmiUnavailableException | IllegalArgumentException e) {
            problems.append(e.getMessage());
        }
        Snapshot previous = snapshot;
        if (report.isEmpty() && listing.isEmpty()) {
            String problem = problems.toString().strip();
            LOG.warnf("GPU inventory not read: %s", problem);
            snapshot = previous == null
                    ? new Snapshot(new Inventory(java.util.List.of(), java.util.Map.of()), Optional.empty(),
                            Instant.now(), Optional.of(problem))
                    : new Snapshot(previous.inventory(), previous.report(), previous.readAt(), Optional.of(problem));
            return snapshot;
        }
        Inventory inventory = Inventory.of(report, listing);
        snapshot = new Snapshot(inventory, report, Instant.now(),
                problems.isEmpty() ? Optional.empty() : Optional.of(problems.toString().strip()));
        return snapshot;
    }
}
