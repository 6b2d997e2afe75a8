package ds01.gpu;

import ds01.database.Timestamps;
import ds01.nodes.ThisNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code allocation} table: which slot of this node is held by whom, for which container, since when and
 * whether on hold. The only class that reads or writes it; {@link Allocator} decides, this remembers. Native SQL
 * because the table's guarantees are PostgreSQL's: the partial unique index over live allocations (one holder per
 * slot, {@code on conflict do nothing}), {@code returning}, and the interval arithmetic of holds and GPU-hours.
 * Every method joins the caller's transaction.
 */
@ApplicationScoped
public class Allocations {

    /** One live allocation as stored: owner and container by id (their names belong to other tables). */
    public record Live(String slotId, String slotUuid, double weight, long ownerId, Long containerId,
            OffsetDateTime allocatedAt, OffsetDateTime heldSince, OffsetDateTime holdUntil) {
    }

    private static final String LIVE_COLUMNS = "slot_id, slot_uuid, weight, owner_id, container_id, allocated_at, "
            + "held_since, hold_until";

    private final EntityManager em;
    private final ThisNode node;

    public Allocations(EntityManager em, ThisNode node) {
        this.em = em;
        this.node = node;
    }

    /** Every live allocation on this node, by slot id. */
    public List<Live> live() {
        return lives(em.createNativeQuery("select " + LIVE_COLUMNS + " from allocation where node = ?1 and "
                + "released_at is null order by slot_id").setParameter(1, node.name()).getResultList());
    }

    /** One user's live allocations on this node, by slot id. */
    public List<Live> liveOf(long ownerId) {
        return lives(em.createNativeQuery("select " + LIVE_COLUMNS + " from allocation where node = ?1 and "
                + "released_at is null and owner_id = ?2 order by slot_id").setParameter(1, node.name())
                .setParameter(2, ownerId).getResultList());
    }

    /** A container's live allocations (on whichever node it lives), by slot id. */
    public List<Live> liveFor(long containerId) {
        return lives(em.createNativeQuery("select " + LIVE_COLUMNS + " from allocation where container_id = ?1 and "
                + "released_at is null order by slot_id").setParameter(1, containerId).getResultList());
    }

    /** The ids of this node's slots some live allocation holds. */
    public Set<String> takenSlotIds() {
        return new HashSet<>(em.createNativeQuery("select slot_id from allocation where node = ?1 and released_at is "
                + "null", String.class).setParameter(1, node.name()).getResultList());
    }

    /** The containers that hold any live allocation, on any node. */
    public Set<Long> holdingContainers() {
        Set<Long> ids = new HashSet<>();
        for (Object id : em.createNativeQuery("select distinct container_id from allocation where released_at is null "
                + "and container_id is not null").getResultList()) {
            ids.add(((Number) id).longValue());
        }
        return ids;
    }

    /**
     * Takes a slot for a user and (when known) a container, unless someone holds it already: the unique index
     * decides between concurrent takers.
     *
     * @return whether this call took it
     */
    public boolean take(Slot slot, long ownerId, Long containerId) {
        return em.createNativeQuery("insert into allocation (node, slot_id, slot_uuid, weight, owner_id, container_id) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (node, slot_id) where released_at is null do nothing")
                .setParameter(1, node.name()).setParameter(2, slot.id()).setParameter(3, slot.uuid())
                .setParameter(4, BigDecimal.valueOf(slot.weight()).setScale(4, RoundingMode.HALF_UP))
                .setParameter(5, ownerId).setParameter(6, containerId)
                .executeUpdate() == 1;
    }

    /** Ends a user's live allocations of these slots on this node; slots they do not hold are left alone. */
    public int release(long ownerId, Collection<String> slotIds, String reason) {
        return em.createNativeQuery("update allocation set released_at = now(), release_reason = ?1 where node = ?2 and "
                        + "released_at is null and slot_id in (?3) and owner_id = ?4")
                .setParameter(1, reason).setParameter(2, node.name()).setParameter(3, slotIds).setParameter(4, ownerId)
                .executeUpdate();
    }

    /** A slot a stopped container keeps, and until when (empty: until the container is removed). */
    public record Held(String slotId, Optional<OffsetDateTime> until) {
    }

    /** Puts a container's slots on hold from now, for {@code holdFor} (empty: until it is removed). */
    @SuppressWarnings("unchecked")
    public List<Held> hold(long containerId, Optional<Duration> holdFor) {
        List<Object[]> rows = em.createNativeQuery("update allocation set held_since = now(), hold_until = "
                        + "case when ?1 < 0 then null else now() + ?1 * interval '1 second' end "
                        + "where container_id = ?2 and released_at is null and held_since is null "
                        + "returning slot_id, hold_until")
                .setParameter(1, holdFor.map(Duration::toSeconds).orElse(-1L)).setParameter(2, containerId)
                .getResultList();
        return rows.stream().map(r -> new Held((String) r[0], Optional.ofNullable(Timestamps.of(r[1])))).toList();
    }

    /** Ends the hold of a container's slots (it runs again); the slots stay allocated. */
    @SuppressWarnings("unchecked")
    public List<String> endHold(long containerId) {
        return em.createNativeQuery("update allocation set held_since = null, hold_until = null where container_id = ?1 "
                + "and released_at is null and held_since is not null returning slot_id")
                .setParameter(1, containerId).getResultList();
    }

    /** This node's live allocations whose hold ended by {@code now}, by owner and slot. */
    public List<Live> holdsEndedBy(OffsetDateTime now) {
        return lives(em.createNativeQuery("select " + LIVE_COLUMNS + " from allocation where node = ?1 and released_at "
                + "is null and hold_until <= ?2 order by owner_id, slot_id").setParameter(1, node.name())
                .setParameter(2, now).getResultList());
    }

    /**
     * GPU-hours by owner id between {@code from} and {@code to} on this node: weight times the hours held within
     * the period, holds included. Owners without any are left out; the largest first.
     */
    @SuppressWarnings("unchecked")
    public Map<Long, Double> hoursByOwner(OffsetDateTime from, OffsetDateTime to) {
        List<Object[]> rows = em.createNativeQuery("select owner_id, sum(weight * extract(epoch from "
                        + "(least(coalesce(released_at, now()), ?2) - greatest(allocated_at, ?1))) / 3600) as hours "
                        + "from allocation where node = ?3 and allocated_at < ?2 and coalesce(released_at, now()) > ?1 "
                        + "group by owner_id order by hours desc, 1")
                .setParameter(1, from).setParameter(2, to).setParameter(3, node.name()).getResultList();
        Map<Long, Double> hours = new LinkedHashMap<>();
        for (Object[] row : rows) {
            hours.put(((Number) row[0]).longValue(), ((Number) row[1]).doubleValue());
        }
        return hours;
    }

    @SuppressWarnings("unchecked")
    private static List<Live> lives(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Live((String) r[0], (String) r[1],
                ((BigDecimal) r[2]).doubleValue(), ((Number) r[3]).longValue(),
                r[4] == null ? null : ((Number) r[4]).longValue(), Timestamps.of(r[5]), Timestamps.of(r[6]),
                Timestamps.of(r[7]))).toList();
    }
}
