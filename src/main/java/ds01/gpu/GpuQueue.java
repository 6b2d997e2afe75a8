package ds01.gpu;

import ds01.database.Timestamps;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.limits.UserLimits;
import ds01.web.TimeWords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import ds01.web.StartPass;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The way into the GPUs for every other feature: a request is granted now, refused with a reason, or waits.
 * Waiting requests are ordered by priority ({@code priority} from the limits file; a user named under
 * {@code user_overrides} counts as 100), then by arrival. When slots come free (a release, or the sweep for
 * anything else) the first waiting request that fits gets them, in the same transaction that marks it granted, and
 * {@link RequestGranted} is fired so its container can start. Waiting requests can be cancelled and expire after
 * {@code ds01.gpu.queue-wait}.
 *
 * <p>A newcomer checks for waiting requests and then asks the allocator without holding the queue's lock (so
 * that grants on a machine without a queue run in parallel): a request that joins the queue in that instant
 * may lose its turn to it once. The quota and the one-holder-per-slot rules hold either way.
 */
@ApplicationScoped
public class GpuQueue {

    /** Priority of anyone the limits file names under {@code user_overrides}, as in DS01. */
    public static final int OVERRIDE_PRIORITY = 100;

    /** One waiting request as the pages and the API show it; position 1 is served first. */
    public record Entry(long id, String owner, Long containerId, String containerName, int count, boolean wholeGpu,
            String profile, String slot, int priority, OffsetDateTime queuedAt, OffsetDateTime expiresAt, int position) {

        public String kind() {
            return slot != null ? "slot " + slot : profile != null ? profile : wholeGpu ? "whole GPU" : "any slot";
        }
    }

    /** Fired after a waiting request was granted and committed: its container may start now. */
    public record RequestGranted(long requestId, String username, Long containerId, List<Slot> slots) {
    }

    /**
     * Fired after a waiting request ended without a grant (refused, expired, cancelled) and that was committed: the
     * deploy that waited for it, if any, is over.
     */
    public record RequestEnded(long requestId, Long containerId, String state, String reason) {
    }

    private final EntityManager em;
    private final Allocator allocator;
    private final InventoryService inventory;
    private final UserLimits userLimits;
    private final AuditLog auditLog;
    private final GpuConfig config;
    private final Event<RequestGranted> granted;
    private final Event<RequestEnded> ended;

    public GpuQueue(EntityManager em, Allocator allocator, InventoryService inventory, UserLimits userLimits,
            AuditLog auditLog, GpuConfig config, Event<RequestGranted> granted, Event<RequestEnded> ended) {
        this.ended = ended;
        this.em = em;
        this.allocator = allocator;
        this.inventory = inventory;
        this.userLimits = userLimits;
        this.auditLog = auditLog;
        this.config = config;
        this.granted = granted;
    }

    /** Asks for slots on the machine's current inventory. */
    public AllocationResult request(AllocationRequest request) {
        return request(request, inventory.current().inventory());
    }

    /**
     * Grants at once when nobody of the same or higher priority waits; otherwise, or when no slot is free, the
     * request joins the queue. A request over the user's limits or malformed is refused and never queued.
     */
    public AllocationResult request(AllocationRequest request, Inventory inventory) {
        int priority = priorityOf(request.username());
        if (waitingAhead(priority)) {
            // it takes its place behind them, and gets a slot now only if none of them fits what is free; a
            // request no free slot could satisfy never joins
            Optional<AllocationResult.Refused> refused = allocator.refusal(request, inventory);
            return refused.isPresent() ? refused.get() : enqueue(request, priority, inventory);
        }
        AllocationResult now = allocator.allocate(request, inventory);
        return now instanceof AllocationResult.NoFreeSlot ? enqueue(request, priority, inventory) : now;
    }

    private AllocationResult enqueue(AllocationRequest request, int priority, Inventory inventory) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            List<?> owner = em.createNativeQuery("select id from portal_user where username = ?1")
                    .setParameter(1, request.username()).getResultList();
            if (owner.isEmpty()) {
                return -1L;
            }
            long requestId = ((Number) em.createNativeQuery("insert into gpu_request (node, owner_id, container_id, "
                            + "slot_count, whole_gpu, profile, slot_id, priority, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, "
                            + "?9, ?7, now() + ?8 * interval '1 second') returning id")
                    .setParameter(1, Allocator.NODE).setParameter(2, ((Number) owner.get(0)).longValue())
                    .setParameter(3, request.containerId()).setParameter(4, request.count())
                    .setParameter(5, request.wholeGpu()).setParameter(6, request.profile().orElse(null))
                    .setParameter(7, priority).setParameter(8, config.queueWait().toSeconds())
                    .setParameter(9, request.slot().orElse(null))
                    .getSingleResult()).longValue();
            auditLog.record(Actor.user(request.username()), "gpu.queue", "request " + requestId,
                    describe(request) + ", priority " + priority);
            return requestId;
        });
        if (id < 0) {
            return new AllocationResult.Refused("unknown-user", request.username() + " has never signed in to the portal.");
        }
        AllocationResult outcome = advance(inventory, id).get(id);
        if (outcome instanceof AllocationResult.Granted || outcome instanceof AllocationResult.Refused) {
            return outcome;
        }
        int position = waiting(Optional.of(request.username())).stream().filter(e -> e.id() == id)
                .mapToInt(Entry::position).findFirst().orElse(0);
        return new AllocationResult.Queued(id, position, "All GPU slots of the kind you asked for are in use. Your "
                + "request waits in the queue at position " + position + " (priority " + priority + ") and is served "
                + "when a slot that fits comes free; it expires after " + TimeWords.of(config.queueWait()) + ". You can "
                + "cancel it, ask for fewer or another kind, or deploy CPU-only for now.");
    }

    /**
     * Serves the queue in order: every waiting request that fits what is free now gets it. Serialised, so one
     * request is never tried by two sweeps at once.
     *
     * @return what each tried request came to, by request id
     */
    public Map<Long, AllocationResult> advance(Inventory inventory) {
        return advance(inventory, -1);
    }

    /** {@code servedInline}: the request whose caller waits for the answer, so it needs no event. */
    private synchronized Map<Long, AllocationResult> advance(Inventory inventory, long servedInline) {
        Map<Long, AllocationResult> outcomes = new LinkedHashMap<>();
        if (allocator.freeSlots(inventory) == 0) {
            return outcomes;
        }
        for (Entry entry : waiting(Optional.empty())) {
            AllocationRequest request = new AllocationRequest(entry.owner(), userLimits.hostGroups(entry.owner()),
                    entry.containerId(), entry.count(), entry.wholeGpu(), Optional.ofNullable(entry.profile()),
                    Optional.ofNullable(entry.slot()));
            AllocationResult result = allocator.allocate(request, inventory, entry.id());
            outcomes.put(entry.id(), result);
            if (result instanceof AllocationResult.Granted g && entry.id() != servedInline) {
                granted.fire(new RequestGranted(entry.id(), entry.owner(), entry.containerId(), g.slots()));
            } else if (result instanceof AllocationResult.Refused refused && endsTheWait(refused)) {
                // the user's limits changed while it waited, or they took other slots: waiting cannot help
                end(entry.id(), "refused", refused.message(), Actor.policy("gpu-queue"), "gpu.queue-refuse");
            }
        }
        return outcomes;
    }

    /**
     * A refusal for the user's limits ends a wait. One for the machine ("invalid": fewer slots or another MIG
     * layout than when it queued) does not: an admin may be re-partitioning, and the wait expires anyway.
     */
    private static boolean endsTheWait(AllocationResult.Refused refused) {
        return !refused.reason().equals("not-waiting") && !refused.reason().equals("invalid");
    }

    /** Waiting requests in queue order with their positions: everyone's when {@code owner} is empty. */
    @SuppressWarnings("unchecked")
    public List<Entry> waiting(Optional<String> owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = em.createNativeQuery("select * from (select r.id, u.username, r.container_id, "
                            + "c.name, r.slot_count, r.whole_gpu, r.profile, r.slot_id, r.priority, r.queued_at, r.expires_at, "
                            + "row_number() over (order by r.priority desc, r.queued_at, r.id) from gpu_request r "
                            + "join portal_user u on u.id = r.owner_id left join container c on c.id = r.container_id "
                            + "where r.node = ?1 and r.state = 'waiting') q where ?2 = '' or q.username = ?2 order by 12")
                    .setParameter(1, Allocator.NODE).setParameter(2, owner.orElse("")).getResultList();
            List<Entry> entries = new ArrayList<>();
            for (Object[] r : rows) {
                entries.add(new Entry(((Number) r[0]).longValue(), (String) r[1],
                        r[2] == null ? null : ((Number) r[2]).longValue(), (String) r[3], ((Number) r[4]).intValue(),
                        (Boolean) r[5], (String) r[6], (String) r[7], ((Number) r[8]).intValue(),
                        Timestamps.of(r[9]), Timestamps.of(r[10]), ((Number) r[11]).intValue()));
            }
            return entries;
        });
    }

    /**
     * Takes a waiting request out of the queue.
     *
     * @param owner the request's owner, or empty for an admin acting on anyone's
     * @return false when there is no such waiting request (of that owner): it was served, ended, or is not theirs
     */
    @SuppressWarnings("unchecked")
    public boolean cancel(long requestId, Optional<String> owner, Actor actor) {
        List<Object> cancelled = QuarkusTransaction.requiringNew().call(() -> {
            List<Object> rows = em.createNativeQuery("update gpu_request set state = 'cancelled', ended_at = now(), "
                            + "end_reason = ?1 where id = ?2 and state = 'waiting' and (?3 = '' or owner_id = "
                            + "(select id from portal_user where username = ?3)) returning coalesce(container_id, -1)")
                    .setParameter(1, "cancelled by " + actor.name()).setParameter(2, requestId)
                    .setParameter(3, owner.orElse("")).getResultList();
            if (!rows.isEmpty()) {
                auditLog.record(actor, "gpu.queue-cancel", "request " + requestId, "taken out of the queue");
            }
            return rows;
        });
        cancelled.forEach(c -> fireEnded(requestId, c, "cancelled", "cancelled by " + actor.name()));
        return !cancelled.isEmpty();
    }

    private void fireEnded(long requestId, Object containerId, String state, String reason) {
        long id = ((Number) containerId).longValue();
        ended.fire(new RequestEnded(requestId, id < 0 ? null : id, state, reason));
    }

    /**
     * Ends the waiting requests of a container that is closing (retired, or its deploy undone): left waiting, one
     * would later be granted to a container that no longer exists and hold its slot for nobody.
     *
     * @return how many were ended
     */
    @SuppressWarnings("unchecked")
    public int endFor(long containerId, Actor actor, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object> ended = em.createNativeQuery("update gpu_request set state = 'cancelled', ended_at = now(), "
                            + "end_reason = ?1 where container_id = ?2 and state = 'waiting' returning id")
                    .setParameter(1, reason).setParameter(2, containerId).getResultList();
            for (Object id : ended) {
                auditLog.record(actor, "gpu.queue-cancel", "request " + id, reason);
            }
            return ended.size();
        });
    }

    /** Whether a request for this container waits in the queue. */
    public boolean waitingFor(long containerId) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("select 1 from gpu_request where "
                        + "container_id = ?1 and state = 'waiting' limit 1")
                .setParameter(1, containerId).getResultList().isEmpty());
    }

    /** Ends requests that waited longer than {@code ds01.gpu.queue-wait}; each owner finds it in the audit log. */
    @SuppressWarnings("unchecked")
    public int expire() {
        List<Object[]> ends = QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> expired = em.createNativeQuery("update gpu_request r set state = 'expired', ended_at = now(), "
                            + "end_reason = 'no slot came free within ' || ?1 from portal_user u where u.id = r.owner_id "
                            + "and r.state = 'waiting' and r.node = ?2 and r.expires_at <= now() returning r.id, u.username, "
                            + "coalesce(r.container_id, -1)")
                    .setParameter(1, TimeWords.of(config.queueWait())).setParameter(2, Allocator.NODE).getResultList();
            for (Object[] row : expired) {
                auditLog.record(Actor.policy("gpu-queue-wait"), "gpu.queue-expire", "request " + row[0] + " of " + row[1],
                        "no slot came free within " + TimeWords.of(config.queueWait()));
            }
            return expired;
        });
        ends.forEach(e -> fireEnded(((Number) e[0]).longValue(), e[2], "expired", "no slot came free within "
                + TimeWords.of(config.queueWait())));
        return ends.size();
    }

    @Scheduled(identity = "gpu-queue-sweep", every = "${ds01.gpu.sweep:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StartPass.class)
    void sweep() {
        expire();
        advance(inventory.current().inventory());
    }

    /** Released slots may be what the first waiting request needs. */
    void onRelease(@Observes Allocator.SlotsReleased released) {
        advance(inventory.current().inventory());
    }

    /** The priority a new request of this user waits with. */
    public int priorityOf(String username) {
        if (userLimits.hasOverride(username)) {
            return OVERRIDE_PRIORITY;
        }
        return userLimits.of(username).priority().value().bound().orElse(1);
    }

    private boolean waitingAhead(int priority) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("select 1 from gpu_request where "
                        + "node = ?1 and state = 'waiting' and priority >= ?2 limit 1")
                .setParameter(1, Allocator.NODE).setParameter(2, priority).getResultList().isEmpty());
    }

    @SuppressWarnings("unchecked")
    private void end(long requestId, String state, String reason, Actor actor, String action) {
        List<Object> endedRows = QuarkusTransaction.requiringNew().call(() -> {
            List<Object> rows = em.createNativeQuery("update gpu_request set state = ?1, ended_at = now(), end_reason = ?2 "
                            + "where id = ?3 and state = 'waiting' returning coalesce(container_id, -1)")
                    .setParameter(1, state).setParameter(2, reason.length() > 500 ? reason.substring(0, 500) : reason)
                    .setParameter(3, requestId).getResultList();
            if (!rows.isEmpty()) {
                auditLog.record(actor, action, "request " + requestId, reason);
            }
            return rows;
        });
        endedRows.forEach(c -> fireEnded(requestId, c, state, reason));
    }

    private static String describe(AllocationRequest request) {
        return request.slot().map(s -> "slot " + s).orElse(request.count() + " slot(s)"
                + request.profile().map(p -> " of " + p).orElse(request.wholeGpu() ? " (whole GPUs)" : "")) + (request.containerId() == null ? "" : " for container " + request.containerId());
    }
}
