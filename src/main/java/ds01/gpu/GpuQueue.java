package ds01.gpu;

import ds01.identity.PortalUsers;
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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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

    private final GpuRequests requests;
    private final PortalUsers users;
    private final ContainerNames containerNames;
    private final Allocator allocator;
    private final InventoryService inventory;
    private final UserLimits userLimits;
    private final AuditLog auditLog;
    private final GpuConfig config;
    private final Event<RequestGranted> granted;
    private final Event<RequestEnded> ended;

    public GpuQueue(GpuRequests requests, PortalUsers users, ContainerNames containerNames, Allocator allocator,
            InventoryService inventory, UserLimits userLimits, AuditLog auditLog, GpuConfig config,
            Event<RequestGranted> granted, Event<RequestEnded> ended) {
        this.ended = ended;
        this.requests = requests;
        this.users = users;
        this.containerNames = containerNames;
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
            OptionalLong owner = users.idOf(request.username());
            if (owner.isEmpty()) {
                return -1L;
            }
            long requestId = requests.add(owner.getAsLong(), request, priority, config.queueWait());
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
                end(entry.id(), GpuRequests.State.REFUSED, refused.message(), Actor.policy("gpu-queue"), "gpu.queue-refuse");
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
    public List<Entry> waiting(Optional<String> owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<GpuRequests.Waiting> rows = requests.waiting();
            Map<Long, String> names = users.usernamesOf(rows.stream().map(GpuRequests.Waiting::ownerId).toList());
            Map<Long, String> containers = containerNames.namesOf(rows.stream().map(GpuRequests.Waiting::containerId)
                    .filter(Objects::nonNull).toList());
            List<Entry> entries = new ArrayList<>();
            for (GpuRequests.Waiting r : rows) {
                String username = names.get(r.ownerId());
                if (owner.isEmpty() || owner.get().equals(username)) {
                    entries.add(new Entry(r.id(), username, r.containerId(), r.containerId() == null ? null
                            : containers.get(r.containerId()), r.count(), r.wholeGpu(), r.profile(), r.slot(),
                            r.priority(), r.queuedAt(), r.expiresAt(), r.position()));
                }
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
    public boolean cancel(long requestId, Optional<String> owner, Actor actor) {
        Optional<GpuRequests.Ended> cancelled = QuarkusTransaction.requiringNew().call(() -> {
            OptionalLong known = owner.isEmpty() ? OptionalLong.empty() : users.idOf(owner.get());
            if (owner.isPresent() && known.isEmpty()) {
                return Optional.<GpuRequests.Ended>empty();
            }
            Optional<Long> ownerId = owner.isEmpty() ? Optional.empty() : Optional.of(known.getAsLong());
            Optional<GpuRequests.Ended> done = requests.end(requestId, ownerId, GpuRequests.State.CANCELLED,
                    "cancelled by " + actor.name());
            if (done.isPresent()) {
                auditLog.record(actor, "gpu.queue-cancel", "request " + requestId, "taken out of the queue");
            }
            return done;
        });
        cancelled.ifPresent(c -> fireEnded(c, "cancelled", "cancelled by " + actor.name()));
        return cancelled.isPresent();
    }

    private void fireEnded(GpuRequests.Ended request, String state, String reason) {
        ended.fire(new RequestEnded(request.id(), request.containerId(), state, reason));
    }

    /**
     * Ends the waiting requests of a container that is closing (retired, or its deploy undone): left waiting, one
     * would later be granted to a container that no longer exists and hold its slot for nobody.
     *
     * @return how many were ended
     */
    public int endFor(long containerId, Actor actor, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<GpuRequests.Ended> cancelled = requests.cancelFor(containerId, reason);
            for (GpuRequests.Ended request : cancelled) {
                auditLog.record(actor, "gpu.queue-cancel", "request " + request.id(), reason);
            }
            return cancelled.size();
        });
    }

    /** The containers some waiting request is for. */
    public Set<Long> waitingContainers() {
        return QuarkusTransaction.requiringNew().call(requests::waitingContainers);
    }

    /** Whether a request for this container waits in the queue. */
    public boolean waitingFor(long containerId) {
        return QuarkusTransaction.requiringNew().call(() -> requests.waitingFor(containerId));
    }

    /** Ends requests that waited longer than {@code ds01.gpu.queue-wait}; each owner finds it in the audit log. */
    public int expire() {
        String reason = "no slot came free within " + TimeWords.of(config.queueWait());
        List<GpuRequests.Ended> ends = QuarkusTransaction.requiringNew().call(() -> {
            List<GpuRequests.Ended> expired = requests.expire(reason);
            Map<Long, String> names = users.usernamesOf(expired.stream().map(GpuRequests.Ended::ownerId).toList());
            for (GpuRequests.Ended request : expired) {
                auditLog.record(Actor.policy("gpu-queue-wait"), "gpu.queue-expire", "request " + request.id() + " of "
                        + names.get(request.ownerId()), reason);
            }
            return expired;
        });
        ends.forEach(e -> fireEnded(e, "expired", reason));
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
        return QuarkusTransaction.requiringNew().call(() -> requests.waitingAtOrAbove(priority));
    }

    private void end(long requestId, GpuRequests.State state, String reason, Actor actor, String action) {
        Optional<GpuRequests.Ended> done = QuarkusTransaction.requiringNew().call(() -> {
            Optional<GpuRequests.Ended> ended = requests.end(requestId, Optional.empty(), state, reason);
            if (ended.isPresent()) {
                auditLog.record(actor, action, "request " + requestId, reason);
            }
            return ended;
        });
        done.ifPresent(c -> fireEnded(c, state.stored(), reason));
    }

    private static String describe(AllocationRequest request) {
        return request.slot().map(s -> "slot " + s).orElse(request.count() + " slot(s)"
                + request.profile().map(p -> " of " + p).orElse(request.wholeGpu() ? " (whole GPUs)" : "")) + (request.containerId() == null ? "" : " for container " + request.containerId());
    }
}
