package ds01.gpu;

import ds01.identity.PortalUsers;
import ds01.web.TimeWords;

import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.limits.Resolved;
import ds01.limits.UserLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import ds01.web.StartPass;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stopped container keeps its GPU slots for its owner's {@code gpu_hold_after_stop} ({@code null}: until the
 * container is removed), so a restart finds them again; then they go back to everyone. Starting the container
 * again ends the hold; retiring releases at once through {@link Allocator#release}.
 */
@ApplicationScoped
public class GpuHolds {

    /** The slots a stop put on hold and when the hold ends (empty: held until the container is removed). */
    public record Hold(List<String> slotIds, Optional<OffsetDateTime> until) {
    }

    private final Allocations allocations;
    private final PortalUsers users;
    private final Allocator allocator;
    private final UserLimits userLimits;
    private final AuditLog auditLog;

    public GpuHolds(Allocations allocations, PortalUsers users, Allocator allocator, UserLimits userLimits,
            AuditLog auditLog) {
        this.allocations = allocations;
        this.users = users;
        this.allocator = allocator;
        this.userLimits = userLimits;
        this.auditLog = auditLog;
    }

    /** The container stopped: its slots are held for the owner's {@code gpu_hold_after_stop}. */
    public Hold containerStopped(long containerId, Actor actor) {
        List<Allocations.Live> live = QuarkusTransaction.requiringNew().call(() -> allocations.liveFor(containerId));
        if (live.isEmpty()) {
            return new Hold(List.of(), Optional.empty());
        }
        String owner = users.usernameOf(live.get(0).ownerId());
        Resolved<Duration> holdFor = userLimits.of(owner).gpuHoldAfterStop();
        Optional<Duration> bound = holdFor.value().bound();
        Hold hold = QuarkusTransaction.requiringNew().call(() -> {
            List<Allocations.Held> held = allocations.hold(containerId, bound);
            List<String> slots = held.stream().map(Allocations.Held::slotId).toList();
            Optional<OffsetDateTime> until = held.stream().flatMap(h -> h.until().stream()).findFirst();
            if (!slots.isEmpty()) {
                auditLog.record(actor, "gpu.hold", String.join(",", slots) + " of " + owner, "container "
                        + containerId + " stopped; " + (bound.isEmpty() ? "held until the container is removed"
                        : "held for " + TimeWords.of(bound.get()) + " (gpu_hold_after_stop, " + holdFor.source()
                                + ")"));
            }
            return new Hold(slots, until);
        });
        if (bound.isPresent() && bound.get().isZero() && !hold.slotIds().isEmpty()) {
            allocator.release(owner, hold.slotIds(), Actor.policy("gpu_hold_after_stop"), "no hold after stop");
        }
        return hold;
    }

    /** The container started again: its slots are in use, no longer on hold. */
    public List<String> containerStarted(long containerId, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> slots = allocations.endHold(containerId);
            if (!slots.isEmpty()) {
                auditLog.record(actor, "gpu.hold-end", String.join(",", slots), "container " + containerId
                        + " started again");
            }
            return slots;
        });
    }

    /**
     * Releases every slot whose hold has ended.
     *
     * @return how many slots were released
     */
    public int releaseEnded() {
        return releaseEnded(Instant.now());
    }

    /** As {@link #releaseEnded()}, with {@code now} the policy's clock (tests move it, as the lifecycle's). */
    public int releaseEnded(Instant now) {
        List<Allocations.Live> ended = QuarkusTransaction.requiringNew().call(() -> allocations.holdsEndedBy(
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
        Map<Long, String> names = users.usernamesOf(ended.stream().map(Allocations.Live::ownerId).toList());
        Map<String, List<String>> byOwner = new TreeMap<>();
        for (Allocations.Live row : ended) {
            byOwner.computeIfAbsent(names.get(row.ownerId()), u -> new ArrayList<>()).add(row.slotId());
        }
        int released = 0;
        for (Map.Entry<String, List<String>> owner : byOwner.entrySet()) {
            released += allocator.release(owner.getKey(), owner.getValue(), Actor.policy("gpu_hold_after_stop"),
                    "the container stayed stopped past gpu_hold_after_stop");
        }
        return released;
    }

    @Scheduled(identity = "gpu-hold-sweep", every = "${ds01.gpu.sweep:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StartPass.class)
    void sweep() {
        releaseEnded();
    }
}
