package ds01.gpu;

import ds01.database.Reads;
import ds01.identity.PortalUsers;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.limits.EffectiveLimits;
import ds01.limits.LimitsService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Hands out GPU slots. Two rules hold under any concurrency: a slot has at most one live allocation (the
 * database's unique index), and a user's holdings stay within their limits (checked in the same transaction
 * that takes the slots, after locking the user's row, so two requests of one user cannot both pass).
 * A slot another user's concurrent grant took in the meantime is skipped for the next free one.
 */
@ApplicationScoped
public class Allocator {

    /**
     * Stored weights are rounded to 4 decimals (0.1429 for 1/7), so sums of them may pass a quota by a few
     * ten-thousandths; a quota written as 0.2857 must still hold two 1/7 slices.
     */
    private static final double EPSILON = 1e-3;
    private static final int DEADLOCK_RETRIES = 5;

    /** Fired after slots were released and committed, so waiting requests can be served. */
    public record SlotsReleased(String username, List<String> slotIds) {
    }

    private final Allocations allocations;
    private final GpuRequests requests;
    private final PortalUsers users;
    private final ContainerNames containerNames;
    private final MeterRegistry metrics;
    private final LimitsService limits;
    private final AuditLog auditLog;
    private final Event<SlotsReleased> slotsReleased;

    public Allocator(Allocations allocations, GpuRequests requests, PortalUsers users, ContainerNames containerNames,
            LimitsService limits, AuditLog auditLog, Event<SlotsReleased> slotsReleased, MeterRegistry metrics) {
        this.metrics = metrics;
        this.allocations = allocations;
        this.requests = requests;
        this.users = users;
        this.containerNames = containerNames;
        this.limits = limits;
        this.auditLog = auditLog;
        this.slotsReleased = slotsReleased;
    }

    /**
     * Grants now or says why not. {@link AllocationResult.NoFreeSlot} is not audited here: it is not a refusal,
     * the caller queues the request ({@link GpuQueue} records that).
     */
    public AllocationResult allocate(AllocationRequest request, Inventory inventory) {
        return allocate(request, inventory, null);
    }

    /**
     * As {@link #allocate(AllocationRequest, Inventory)}, for a waiting queue entry: the entry is marked granted in
     * the same transaction as the grant, so a crash can never leave slots granted to a request still waiting.
     */
    AllocationResult allocate(AllocationRequest request, Inventory inventory, Long queuedRequestId) {
        AllocationResult result;
        Optional<AllocationResult.Refused> invalid = validate(request, inventory);
        if (invalid.isPresent()) {
            result = invalid.get();
        } else {
            result = null;
            for (int attempt = 1; result == null; attempt++) {
                try {
                    result = QuarkusTransaction.requiringNew().call(() -> attempt(request, inventory, queuedRequestId));
                } catch (NotGranted notGranted) {
                    result = notGranted.result;
                } catch (RuntimeException e) {
                    // two multi-slot grants may take each other's next slot and deadlock; PostgreSQL ends one,
                    // which starts over on the slots as they are now
                    if (attempt == DEADLOCK_RETRIES || !isDeadlock(e)) {
                        throw e;
                    }
                }
            }
        }
        // refusals roll their transaction back, so their audit event is written on its own; a queued request
        // that still waits (the machine lacks what it asks for now, or it ended meanwhile) is not refused
        boolean stillWaits = queuedRequestId != null && result instanceof AllocationResult.Refused r
                && (r.reason().equals("invalid") || r.reason().equals("not-waiting"));
        if (result instanceof AllocationResult.Refused refused && !stillWaits) {
            audit(request, refused);
        }
        return result;
    }

    /**
     * Why this request could not be granted whatever is free (malformed, or over the user's limits), without
     * taking anything: the queue asks before a request joins it. The refusal is audited as a grant's would be.
     */
    public Optional<AllocationResult.Refused> refusal(AllocationRequest request, Inventory inventory) {
        Optional<AllocationResult.Refused> refused = validate(request, inventory).or(() ->
                QuarkusTransaction.requiringNew().call(() -> {
                    OptionalLong owner = users.idOf(request.username());
                    if (owner.isEmpty()) {
                        return Optional.of(unknownUser(request));
                    }
                    return limitsRefusal(request, inventory, holdings(owner.getAsLong()));
                }));
        refused.ifPresent(r -> audit(request, r));
        return refused;
    }

    /** What a user holds now: their live allocations and their weight. */
    private record Holdings(List<Allocations.Live> rows, double weight) {
    }

    private Holdings holdings(long ownerId) {
        List<Allocations.Live> held = allocations.liveOf(ownerId);
        return new Holdings(held, held.stream().mapToDouble(Allocations.Live::weight).sum());
    }

    /**
     * ": 0.1 (container thesis._.2001), 1.3 (no container yet)", or "" when nothing is held. Only a refusal words
     * the holdings, so the containers' names are read then and not on every grant.
     */
    private String describe(Holdings holdings) {
        if (holdings.rows().isEmpty()) {
            return "";
        }
        Map<Long, String> containers = containerNames.namesOf(holdings.rows().stream()
                .map(Allocations.Live::containerId).filter(Objects::nonNull).toList());
        return ": " + String.join(", ", holdings.rows().stream().map(r -> r.slotId() + " (" + (r.containerId() == null
                || !containers.containsKey(r.containerId()) ? "no container yet"
                : "container " + containers.get(r.containerId())) + ")").toList());
    }

    private static AllocationResult.Refused unknownUser(AllocationRequest request) {
        return new AllocationResult.Refused("unknown-user", request.username() + " has never signed in to the portal.");
    }

    /** The user's limits against what they hold and ask for; the free slots are not looked at. */
    private Optional<AllocationResult.Refused> limitsRefusal(AllocationRequest request, Inventory inventory,
            Holdings holdings) {
        EffectiveLimits limit = limits.forUser(request.username(), request.hostGroups());
        Optional<Integer> perContainer = limit.maxGpuSlotsPerContainer().value().bound();
        if (perContainer.isPresent() && request.count() > perContainer.get()) {
            return Optional.of(new AllocationResult.Refused("per-container-limit", "You asked for " + request.count()
                    + " GPU slots for one container; your limit is " + perContainer.get() + " per container. Ask for "
                    + perContainer.get() + " or fewer, or spread the work over several containers."));
        }
        boolean fullAllowed = limit.allowFullGpu().value().bound().orElse(true);
        if (!fullAllowed && request.wholeGpu()) {
            return Optional.of(new AllocationResult.Refused("no-full-gpu", "Your group may not use whole GPUs. Ask for "
                    + "a MIG slice instead, or ask an admin."));
        }
        Optional<Integer> maxUnits = limit.maxMigInstances().value().bound();
        if (maxUnits.isPresent() && holdings.rows().size() + request.count() > maxUnits.get()) {
            return Optional.of(new AllocationResult.Refused("quota", quotaMessage(request, maxUnits.get()
                    + " GPU slots", holdings.rows().size() + " slot(s)" + describe(holdings))));
        }
        Optional<Double> maxWeight = limit.maxGpuEquivalents().value().bound();
        double lightest = inventory.slots().stream().filter(s -> matches(s, request, fullAllowed))
                .mapToDouble(Slot::weight).min().orElse(1.0);
        if (maxWeight.isPresent() && holdings.weight() + lightest * request.count() > maxWeight.get() + EPSILON) {
            return Optional.of(new AllocationResult.Refused("quota", quotaMessage(request,
                    format(maxWeight.get()) + " GPU-equivalents", format(holdings.weight()) + " GPU-equivalents"
                            + describe(holdings))));
        }
        return Optional.empty();
    }

    private AllocationResult attempt(AllocationRequest request, Inventory inventory, Long queuedRequestId) {
        OptionalLong owner = users.lockForLimitCheck(request.username());
        if (owner.isEmpty()) {
            return unknownUser(request);
        }
        long ownerId = owner.getAsLong();
        Holdings holdings = holdings(ownerId);
        Optional<AllocationResult.Refused> overLimits = limitsRefusal(request, inventory, holdings);
        if (overLimits.isPresent()) {
            return overLimits.get();
        }
        EffectiveLimits limit = limits.forUser(request.username(), request.hostGroups());
        boolean fullAllowed = limit.allowFullGpu().value().bound().orElse(true);
        Optional<Double> maxWeight = limit.maxGpuEquivalents().value().bound();
        double heldWeight = holdings.weight();

        Set<String> taken = allocations.takenSlotIds();
        Map<Integer, Integer> perGpu = new HashMap<>();
        inventory.slots().stream().filter(s -> taken.contains(s.id()))
                .forEach(s -> perGpu.merge(s.gpuIndex(), 1, Integer::sum));
        Map<String, String> reserved = reservations();
        List<Slot> free = new ArrayList<>(inventory.slots().stream()
                .filter(s -> !taken.contains(s.id()))
                .filter(s -> matches(s, request, fullAllowed))
                .filter(s -> reservedFor(s, reserved).map(request.username()::equals).orElse(true))
                .toList());

        List<Slot> chosen = new ArrayList<>();
        double chosenWeight = 0;
        boolean quotaBound = false;
        while (chosen.size() < request.count() && !free.isEmpty()) {
            // a user's own reserved slots first, then spread across physical GPUs: the least allocated first,
            // counting what this request took already
            Slot candidate = free.stream().min(Comparator.<Slot>comparingInt(s -> reservedFor(s, reserved).isPresent() ? 0 : 1)
                    .thenComparingInt(s -> perGpu.getOrDefault(s.gpuIndex(), 0))
                    .thenComparing(Slot::id)).orElseThrow();
            free.remove(candidate);
            if (maxWeight.isPresent() && heldWeight + chosenWeight + candidate.weight() > maxWeight.get() + EPSILON) {
                quotaBound = true;
                continue;
            }
            // another user's concurrent grant may have taken it since we looked: then try the next one
            boolean took = allocations.take(candidate, ownerId, request.containerId());
            perGpu.merge(candidate.gpuIndex(), 1, Integer::sum);
            if (took) {
                chosen.add(candidate);
                chosenWeight += candidate.weight();
            }
        }
        if (chosen.size() < request.count()) {
            // give back the slots taken so far: all or nothing
            if (quotaBound) {
                throw new NotGranted(new AllocationResult.Refused("quota", quotaMessage(request,
                        format(maxWeight.orElseThrow()) + " GPU-equivalents", format(heldWeight) + " GPU-equivalents"
                                + describe(holdings))));
            }
            throw new NotGranted(new AllocationResult.NoFreeSlot("All GPU slots of the kind you asked for are in use (you asked for "
                    + request.count() + "). Wait in the queue, ask for fewer or another kind, or deploy CPU-only for now."));
        }
        if (queuedRequestId != null && !requests.grant(queuedRequestId, chosen.stream().map(Slot::id).toList())) {
            // cancelled or expired while we looked: the slots go back
            throw new NotGranted(new AllocationResult.Refused("not-waiting", "The queued request "
                    + queuedRequestId + " was cancelled or expired before a slot came free."));
        }
        auditLog.record(Actor.user(request.username()), "gpu.grant",
                String.join(",", chosen.stream().map(Slot::id).toList()),
                "container " + request.containerId() + ", " + format(chosenWeight) + " GPU-equivalents"
                        + (queuedRequestId == null ? "" : ", from the queue (request " + queuedRequestId + ")"));
        return new AllocationResult.Granted(List.copyOf(chosen));
    }

    /**
     * One live allocation as the API and pages show it. {@code heldSince} is set while its container is stopped
     * and keeps the slot; {@code holdUntil} is when that hold ends (null with heldSince set: until removal).
     */
    public record Held(String slotId, String slotUuid, double weight, String owner, Long containerId,
            String containerName, OffsetDateTime since, OffsetDateTime heldSince, OffsetDateTime holdUntil) {

        public boolean onHold() {
            return heldSince != null;
        }
    }

    /** How many of these slots no live allocation holds. */
    public long freeSlots(Inventory inventory) {
        Set<String> taken = QuarkusTransaction.requiringNew().call(allocations::takenSlotIds);
        return inventory.slots().stream().filter(s -> !taken.contains(s.id())).count();
    }

    /** Live allocations: everyone's when {@code owner} is empty. */
    public List<Held> live(Optional<String> owner) {
        return Reads.inTransaction(() -> {
            List<Allocations.Live> rows;
            if (owner.isPresent()) {
                OptionalLong id = users.idOf(owner.get());
                rows = id.isEmpty() ? List.of() : allocations.liveOf(id.getAsLong());
            } else {
                rows = allocations.live();
            }
            Map<Long, String> names = users.usernamesOf(rows.stream().map(Allocations.Live::ownerId).toList());
            Map<Long, String> containers = containerNames.namesOf(rows.stream().map(Allocations.Live::containerId)
                    .filter(Objects::nonNull).toList());
            return rows.stream().map(r -> new Held(r.slotId(), r.slotUuid(), r.weight(), names.get(r.ownerId()),
                    r.containerId(), r.containerId() == null ? null : containers.get(r.containerId()), r.allocatedAt(),
                    r.heldSince(), r.holdUntil())).toList();
        });
    }

    /**
     * Takes the slots a container found on the engine already uses (the reconciler adopting a container made outside
     * the portal), in the caller's transaction. Slots someone holds already stay theirs; no limit is checked, since
     * the container runs on them whatever the portal says.
     *
     * @return the ids of the slots taken
     */
    public List<String> adopt(long ownerId, long containerId, List<Slot> slots) {
        return slots.stream().filter(slot -> allocations.take(slot, ownerId, containerId)).map(Slot::id).toList();
    }

    /**
     * Releases a user's live allocations of these slots (retire, end of a hold, an admin), naming who and why.
     *
     * @return how many were released: slots the user does not hold are left alone
     */
    public int release(String username, List<String> slotIds, Actor actor, String reason) {
        int count = QuarkusTransaction.requiringNew().call(() -> {
            OptionalLong owner = users.idOf(username);
            int released = owner.isEmpty() ? 0 : allocations.release(owner.getAsLong(), slotIds, reason);
            if (released > 0) {
                auditLog.record(actor, "gpu.release", String.join(",", slotIds) + " of " + username, reason);
            }
            return released;
        });
        if (count > 0) {
            // after the commit: whoever waits in the queue may now fit
            slotsReleased.fire(new SlotsReleased(username, List.copyOf(slotIds)));
        }
        return count;
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "40P01".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Releases every live allocation of a container (retire, a failed deploy, the reconciler).
     *
     * @return how many slots were released
     */
    public int releaseContainer(long containerId, Actor actor, String reason) {
        List<Allocations.Live> rows = QuarkusTransaction.requiringNew().call(() -> allocations.liveFor(containerId));
        if (rows.isEmpty()) {
            return 0;
        }
        return release(users.usernameOf(rows.get(0).ownerId()), rows.stream().map(Allocations.Live::slotId).toList(),
                actor, reason);
    }

    /** The containers that hold a live allocation. */
    public Set<Long> holdingContainers() {
        return QuarkusTransaction.requiringNew().call(allocations::holdingContainers);
    }

    /** Ends an attempt's transaction with a rollback, carrying the answer out of it. */
    private static final class NotGranted extends RuntimeException {
        private final AllocationResult result;

        NotGranted(AllocationResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** Active reservations (user_overrides.reserved_gpus within their window): GPU or slot id to user. */
    private Map<String, String> reservations() {
        Map<String, String> reserved = new HashMap<>();
        if (!limits.current().gpuAllocation().respectReservations()) {
            return reserved;
        }
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        limits.current().userOverrides().values().forEach(o -> o.reservation()
                .filter(r -> r.isActiveAt(now))
                .ifPresent(r -> r.gpus().forEach(gpu -> reserved.put(gpu, o.username()))));
        return reserved;
    }

    /** Whom a slot is reserved for: a reservation names a whole GPU ("0") or one slot ("0.1"). */
    private static Optional<String> reservedFor(Slot slot, Map<String, String> reserved) {
        return Optional.ofNullable(reserved.get(slot.id())).or(() -> Optional.ofNullable(
                reserved.get(String.valueOf(slot.gpuIndex()))));
    }

    private static boolean matches(Slot slot, AllocationRequest request, boolean fullAllowed) {
        return request.slot().map(slot.id()::equals).orElse(true)
                && (!request.wholeGpu() || slot.isWholeGpu())
                && (request.profile().isEmpty() || request.profile().equals(slot.profile()))
                && (fullAllowed || !slot.isWholeGpu());
    }

    private Optional<AllocationResult.Refused> validate(AllocationRequest request, Inventory inventory) {
        if (request.count() < 1) {
            return Optional.of(new AllocationResult.Refused("invalid", "Ask for at least one GPU slot, or deploy "
                    + "CPU-only."));
        }
        if (request.count() > inventory.slots().size()) {
            return Optional.of(new AllocationResult.Refused("invalid", "You asked for " + request.count()
                    + " GPU slots; this server has " + inventory.slots().size() + "."));
        }
        if (request.profile().isPresent()
                && inventory.slots().stream().noneMatch(s -> s.profile().equals(request.profile()))) {
            return Optional.of(new AllocationResult.Refused("invalid", "There is no MIG profile \""
                    + request.profile().get() + "\" on this server."));
        }
        if (request.slot().isPresent()) {
            String wanted = request.slot().get();
            Optional<Slot> named = inventory.slots().stream().filter(s -> s.id().equals(wanted)).findFirst();
            if (named.isEmpty()) {
                return Optional.of(new AllocationResult.Refused("invalid", "There is no GPU slot \"" + wanted
                        + "\" on this server; its slots are " + String.join(", ", inventory.slots().stream()
                                .map(Slot::id).toList()) + "."));
            }
            if (request.count() != 1) {
                return Optional.of(new AllocationResult.Refused("invalid", "Naming slot " + wanted + " asks for that "
                        + "one slot; ask for 1, or leave the slot out to get " + request.count() + "."));
            }
            Optional<String> holder = reservedFor(named.get(), reservations());
            if (holder.isPresent() && !holder.get().equals(request.username())) {
                return Optional.of(new AllocationResult.Refused("reserved", "Slot " + wanted + " is reserved for "
                        + holder.get() + " now. Ask for any free slot instead, or wait until the reservation ends."));
            }
        }
        return Optional.empty();
    }

    private String quotaMessage(AllocationRequest request, String limit, String holding) {
        return "You asked for " + request.count() + " more GPU slot(s); your limit is " + limit + " and you hold "
                + holding + ". Stop or retire a container to free a GPU, ask for fewer or smaller slots, or "
                + "deploy CPU-only.";
    }

    private void audit(AllocationRequest request, AllocationResult.Refused refused) {
        metrics.counter("ds01.allocation.refusals", "reason", refused.reason()).increment();
        QuarkusTransaction.requiringNew().run(() -> auditLog.record(Actor.user(request.username()), "gpu.refuse",
                request.count() + " slot(s)", refused.reason() + ": " + refused.message()));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
