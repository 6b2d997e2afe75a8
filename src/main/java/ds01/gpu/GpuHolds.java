package ds01.gpu;

import ds01.database.Timestamps;
import ds01.web.TimeWords;

import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.limits.Resolved;
import ds01.limits.UserLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import ds01.web.StartPass;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    private final EntityManager em;
    private final Allocator allocator;
    private final UserLimits userLimits;
    private final AuditLog auditLog;

    public GpuHolds(EntityManager em, Allocator allocator, UserLimits userLimits, AuditLog auditLog) {
        this.em = em;
        this.allocator = allocator;
        this.userLimits = userLimits;
        this.auditLog = auditLog;
    }

    /** The container stopped: its slots are held for the owner's {@code gpu_hold_after_stop}. */
    @SuppressWarnings("unchecked")
    public Hold containerStopped(long containerId, Actor actor) {
        String owner = ownerOf(containerId);
        Resolved<Duration> holdFor = userLimits.of(owner).gpuHoldAfterStop();
        Optional<Duration> bound = holdFor.value().bound();
        Hold hold = QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = em.createNativeQuery("update allocation set held_since = now(), hold_until = "
                            + "case when ?1 < 0 then null else now() + ?1 * interval '1 second' end "
                            + "where container_id = ?2 and released_at is null and held_since is null "
                            + "returning slot_id, hold_until")
                    .setParameter(1, bound.map(Duration::toSeconds).orElse(-1L)).setParameter(2, containerId)
                    .getResultList();
            List<String> slots = rows.stream().map(r -> (String) r[0]).toList();
            Optional<OffsetDateTime> until = rows.stream().map(r -> Timestamps.of(r[1])).filter(t -> t != null)
                    .findFirst();
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
    @SuppressWarnings("unchecked")
    public List<String> containerStarted(long containerId, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> slots = em.createNativeQuery("update allocation set held_since = null, hold_until = null "
                            + "where container_id = ?1 and released_at is null and held_since is not null returning slot_id")
                    .setParameter(1, containerId).getResultList();
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
    @SuppressWarnings("unchecked")
    public int releaseEnded(Instant now) {
        List<Object[]> ended = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select u.username, a.slot_id, a.held_since from allocation a join portal_user u on u.id = a.owner_id "
                                + "where a.node = ?1 and a.released_at is null and a.hold_until <= ?2 order by 1, 2")
                .setParameter(1, Allocator.NODE).setParameter(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .getResultList());
        Map<String, List<String>> byOwner = new LinkedHashMap<>();
        for (Object[] row : ended) {
            byOwner.computeIfAbsent((String) row[0], u -> new ArrayList<>()).add((String) row[1]);
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

    private String ownerOf(long containerId) {
        List<?> owner = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select u.username from container c join portal_user u on u.id = c.owner_id where c.id = ?1")
                .setParameter(1, containerId).getResultList());
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("There is no container " + containerId + ".");
        }
        return (String) owner.get(0);
    }
}
