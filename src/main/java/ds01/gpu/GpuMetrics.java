package ds01.gpu;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GPUs at {@code /q/metrics} for Prometheus: slots by profile (all, allocated, free), GPU-equivalents
 * allocated, units each user holds and the queue's length (refusals are counted where they happen, in
 * {@link Allocator}). Read from the inventory and the database every {@code ds01.metrics.refresh} (15 s), not
 * on each scrape, so a busy scraper cannot load the database.
 */
@Startup
@ApplicationScoped
public class GpuMetrics {

    /** The label of a whole GPU's slots, where a MIG slice carries its profile (1g.10gb ...). */
    static final String WHOLE_GPU = "full";

    private final InventoryService inventory;
    private final Allocator allocator;
    private final GpuQueue queue;
    private final MultiGauge slots;
    private final MultiGauge slotsAllocated;
    private final MultiGauge slotsFree;
    private final MultiGauge userUnits;
    private final AtomicReference<Double> equivalents = new AtomicReference<>(0.0);
    private final AtomicReference<Integer> waiting = new AtomicReference<>(0);

    public GpuMetrics(MeterRegistry registry, InventoryService inventory, Allocator allocator, GpuQueue queue) {
        this.inventory = inventory;
        this.allocator = allocator;
        this.queue = queue;
        slots = MultiGauge.builder("ds01.gpu.slots").description("GPU slots on this machine, by MIG profile")
                .register(registry);
        slotsAllocated = MultiGauge.builder("ds01.gpu.slots.allocated")
                .description("GPU slots allocated (in use or held after a stop), by MIG profile").register(registry);
        slotsFree = MultiGauge.builder("ds01.gpu.slots.free").description("GPU slots free, by MIG profile")
                .register(registry);
        userUnits = MultiGauge.builder("ds01.user.gpu.units").description("GPU slots each user holds")
                .register(registry);
        registry.gauge("ds01.gpu.allocated", Tags.empty(), equivalents, AtomicReference::get);
        registry.gauge("ds01.gpu.queue.length", Tags.empty(), waiting, AtomicReference::get);
    }

    // the first reading waits one interval: a job that fires as the scheduler starts would still be in a transaction
    // when a refused start shuts the portal down, and its stack trace would bury the refusal's two lines
    @Scheduled(identity = "gpu-metrics", every = "${ds01.metrics.refresh:15s}", delayed = "${ds01.metrics.refresh:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        List<Slot> all = inventory.current().inventory().slots();
        List<Allocator.Held> held = allocator.live(Optional.empty());
        Map<String, String> profileOf = new TreeMap<>();
        Map<String, int[]> byProfile = new TreeMap<>(); // profile -> {slots, allocated}
        for (Slot slot : all) {
            String profile = slot.profile().orElse(WHOLE_GPU);
            profileOf.put(slot.id(), profile);
            byProfile.computeIfAbsent(profile, p -> new int[2])[0]++;
        }
        Map<String, Integer> byUser = new TreeMap<>();
        double weight = 0;
        for (Allocator.Held h : held) {
            // a slot allocated but gone from the inventory still counts for its holder
            String profile = profileOf.getOrDefault(h.slotId(), "unknown");
            byProfile.computeIfAbsent(profile, p -> new int[2])[1]++;
            byUser.merge(h.owner(), 1, Integer::sum);
            weight += h.weight();
        }
        List<MultiGauge.Row<?>> total = new ArrayList<>();
        List<MultiGauge.Row<?>> allocated = new ArrayList<>();
        List<MultiGauge.Row<?>> free = new ArrayList<>();
        byProfile.forEach((profile, n) -> {
            Tags tags = Tags.of("profile", profile);
            total.add(MultiGauge.Row.of(tags, n[0]));
            allocated.add(MultiGauge.Row.of(tags, n[1]));
            free.add(MultiGauge.Row.of(tags, Math.max(0, n[0] - n[1])));
        });
        slots.register(total, true);
        slotsAllocated.register(allocated, true);
        slotsFree.register(free, true);
        List<MultiGauge.Row<?>> users = new ArrayList<>();
        byUser.forEach((user, n) -> users.add(MultiGauge.Row.of(Tags.of("user", user), n)));
        userUnits.register(users, true);
        equivalents.set(weight);
        waiting.set(queue.waiting(Optional.empty()).size());
    }
}
