package ds01.gpu;

import ds01.web.TimeWords;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The live GPU page, as words: each physical GPU with its use and its slots, who holds each slot, for which
 * container, since when, holds counting down; slots that vanished while allocated; the queue.
 */
public record GpuBoard(Instant readAt, String problem, List<PhysicalGpu> gpus, List<Allocator.Held> vanished,
        List<Waiting> queue, int slotsTotal, int slotsHeld) {

    public record PhysicalGpu(int index, String name, String memory, String utilisation, String idle,
            String whyNoSlots, List<SlotRow> slots) {
    }

    public record SlotRow(String id, String kind, String weight, String holder, String container, String since,
            String hold) {

        public boolean free() {
            return holder == null;
        }
    }

    public record Waiting(int position, long id, String owner, String kind, int count, int priority, String container,
            String waitingFor, String expiresIn) {
    }

    public static GpuBoard of(InventoryService.Snapshot snapshot, List<Allocator.Held> live, List<GpuQueue.Entry> queue,
            Instant now) {
        Inventory inventory = snapshot.inventory();
        TreeSet<Integer> indexes = new TreeSet<>(inventory.gpusWithoutSlots().keySet());
        inventory.slots().forEach(s -> indexes.add(s.gpuIndex()));
        snapshot.report().ifPresent(r -> r.gpus().forEach(g -> indexes.add(g.index())));
        List<PhysicalGpu> gpus = new ArrayList<>();
        for (int index : indexes) {
            Optional<GpuReport.PhysicalGpu> reported = snapshot.report()
                    .flatMap(r -> r.gpus().stream().filter(g -> g.index() == index).findFirst());
            List<SlotRow> slots = inventory.slots().stream().filter(s -> s.gpuIndex() == index)
                    .map(s -> slotRow(s, live.stream().filter(h -> h.slotId().equals(s.id())).findFirst(), now)).toList();
            gpus.add(new PhysicalGpu(index, reported.map(GpuReport.PhysicalGpu::name).orElse("GPU " + index),
                    reported.map(g -> g.memoryUsedMiB() + " / " + g.memoryTotalMiB() + " MiB").orElse("not reported"),
                    reported.map(g -> g.utilisationPercent().isPresent() ? g.utilisationPercent().getAsInt() + "%"
                            : g.migEnabled() ? "not reported per MIG slice" : "not reported").orElse("not reported"),
                    idle(snapshot.idleSince(), index, reported, now), inventory.gpusWithoutSlots().get(index), slots));
        }
        List<Waiting> waiting = queue.stream().map(e -> new Waiting(e.position(), e.id(), e.owner(), e.kind(), e.count(),
                e.priority(), e.containerName(), ago(e.queuedAt(), now), until(e.expiresAt(), now))).toList();
        return new GpuBoard(snapshot.readAt(), snapshot.problem().orElse(null), gpus, snapshot.vanished(), waiting,
                inventory.slots().size(), (int) inventory.slots().stream()
                        .filter(s -> live.stream().anyMatch(h -> h.slotId().equals(s.id()))).count());
    }

    private static SlotRow slotRow(Slot slot, Optional<Allocator.Held> held, Instant now) {
        String kind = slot.profile().orElse("whole GPU");
        String weight = String.format(java.util.Locale.ROOT, "%.2f", slot.weight());
        if (held.isEmpty()) {
            return new SlotRow(slot.id(), kind, weight, null, null, null, null);
        }
        Allocator.Held h = held.get();
        String hold = !h.onHold() ? null : h.holdUntil() == null ? "held until the container is removed"
                : "released in " + until(h.holdUntil(), now);
        return new SlotRow(slot.id(), kind, weight, h.owner(), h.containerName() == null ? "no container yet"
                : h.containerName(), ago(h.since(), now), hold);
    }

    private static String idle(Map<Integer, Instant> idleSince, int index, Optional<GpuReport.PhysicalGpu> gpu,
            Instant now) {
        if (gpu.isEmpty() || gpu.get().utilisationPercent().isEmpty()) {
            return "not measured (no utilisation reported)";
        }
        Instant since = idleSince.get(index);
        return since == null ? "in use" : "idle for " + TimeWords.of(Duration.between(since, now));
    }

    private static String ago(OffsetDateTime then, Instant now) {
        return TimeWords.of(Duration.between(then.toInstant(), now)) + " ago";
    }

    private static String until(OffsetDateTime then, Instant now) {
        Duration left = Duration.between(now, then.toInstant());
        return left.isNegative() ? "now" : TimeWords.of(left);
    }
}
