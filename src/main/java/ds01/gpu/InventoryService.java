package ds01.gpu;

import ds01.events.Actor;
import ds01.events.AuditLog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The machine's slots as last read from nvidia-smi, refreshed on a schedule ({@code ds01.gpu.refresh}, 30s)
 * and on demand. When nvidia-smi cannot be read, the last good inventory stays, with the problem beside it.
 * Each good read is checked against the live allocations: a slot that is allocated but no longer reported
 * (MIG re-partitioned, GPU fallen off the bus) is flagged, and audited once when it vanishes.
 */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);
    /** Below this utilisation, with no processes, a whole GPU counts as idle (DS01's gpu_idle_threshold). */
    private static final int IDLE_PERCENT = 5;

    /**
     * An inventory and when it was read; {@code problem} is set while the latest read failed. {@code vanished}:
     * live allocations of slots the read did not report. {@code idleSince}: for each GPU without MIG that is idle
     * now, since when the portal has seen it idle (MIG GPUs report no utilisation, so they have no entry).
     */
    public record Snapshot(Inventory inventory, Optional<GpuReport> report, Instant readAt, Optional<String> problem,
            List<Allocator.Held> vanished, Map<Integer, Instant> idleSince) {

        public Snapshot(Inventory inventory, Optional<GpuReport> report, Instant readAt, Optional<String> problem) {
            this(inventory, report, readAt, problem, List.of(), Map.of());
        }
    }

    private final NvidiaSmi nvidiaSmi;
    private final Allocator allocator;
    private final AuditLog auditLog;
    private volatile Snapshot snapshot;

    public InventoryService(NvidiaSmi nvidiaSmi, Allocator allocator, AuditLog auditLog) {
        this.nvidiaSmi = nvidiaSmi;
        this.allocator = allocator;
        this.auditLog = auditLog;
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
                    ? new Snapshot(new Inventory(List.of(), Map.of()), Optional.empty(), Instant.now(), Optional.of(problem))
                    : new Snapshot(previous.inventory(), previous.report(), previous.readAt(), Optional.of(problem),
                            previous.vanished(), previous.idleSince());
            return snapshot;
        }
        Instant now = Instant.now();
        Inventory inventory = Inventory.of(report, listing);
        snapshot = new Snapshot(inventory, report, now,
                problems.isEmpty() ? Optional.empty() : Optional.of(problems.toString().strip()),
                vanished(inventory, previous), idleSince(report, previous, now));
        return snapshot;
    }

    private List<Allocator.Held> vanished(Inventory inventory, Snapshot previous) {
        Set<String> present = inventory.slots().stream().map(Slot::id).collect(Collectors.toSet());
        List<Allocator.Held> vanished = allocator.live(Optional.empty()).stream()
                .filter(h -> !present.contains(h.slotId())).toList();
        Set<String> flaggedBefore = previous == null ? Set.of()
                : previous.vanished().stream().map(Allocator.Held::slotId).collect(Collectors.toSet());
        for (Allocator.Held held : vanished) {
            if (!flaggedBefore.contains(held.slotId())) {
                LOG.warnf("GPU slot %s is allocated to %s but nvidia-smi no longer reports it", held.slotId(), held.owner());
                auditLog.record(Actor.system("gpu-inventory"), "gpu.slot-vanished", "slot " + held.slotId() + " of "
                        + held.owner(), "allocated" + (held.containerName() == null ? "" : " to container "
                        + held.containerName()) + " but no longer reported by nvidia-smi: check the GPU and its MIG layout");
            }
        }
        return vanished;
    }

    private static Map<Integer, Instant> idleSince(Optional<GpuReport> report, Snapshot previous, Instant now) {
        Map<Integer, Instant> idle = new HashMap<>();
        report.ifPresent(r -> r.gpus().forEach(gpu -> {
            boolean isIdle = gpu.utilisationPercent().isPresent() && gpu.utilisationPercent().getAsInt() < IDLE_PERCENT
                    && gpu.processes().isEmpty();
            if (isIdle) {
                idle.put(gpu.index(), previous == null ? now : previous.idleSince().getOrDefault(gpu.index(), now));
            }
        }));
        return Map.copyOf(idle);
    }
}
