package ds01.gpu;

import ds01.database.Timestamps;
import ds01.nodes.ThisNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gpu_request} table: requests that wait for slots on this node, and how each ended. The only class
 * that reads or writes it; {@link GpuQueue} decides the order and the grants. A request leaves {@code waiting}
 * only through a conditional update, so a grant, a cancel and an expiry of one request never both win. Every
 * method joins the caller's transaction.
 */
@ApplicationScoped
public class GpuRequests {

    /** How a request stands; stored by name, in lower case. */
    public enum State {
        WAITING, GRANTED, REFUSED, EXPIRED, CANCELLED;

        public String stored() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One waiting request, with its place in the queue (1 is served first). */
    public record Waiting(long id, long ownerId, Long containerId, int count, boolean wholeGpu, String profile,
            String slot, int priority, OffsetDateTime queuedAt, OffsetDateTime expiresAt, int position) {
    }

    /** A request that just ended, with what it waited for. */
    public record Ended(long id, long ownerId, Long containerId) {
    }

    private final EntityManager em;
    private final ThisNode node;

    public GpuRequests(EntityManager em, ThisNode node) {
        this.em = em;
        this.node = node;
    }

    /** @return the new request's id */
    public long add(long ownerId, AllocationRequest request, int priority, Duration wait) {
        return ((Number) em.createNativeQuery("insert into gpu_request (node, owner_id, container_id, slot_count, "
                        + "whole_gpu, profile, slot_id, priority, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?9, ?7, "
                        + "now() + ?8 * interval '1 second') returning id")
                .setParameter(1, node.name()).setParameter(2, ownerId)
                .setParameter(3, request.containerId()).setParameter(4, request.count())
                .setParameter(5, request.wholeGpu()).setParameter(6, request.profile().orElse(null))
                .setParameter(7, priority).setParameter(8, wait.toSeconds())
                .setParameter(9, request.slot().orElse(null))
                .getSingleResult()).longValue();
    }

    /** This node's waiting requests in queue order: priority, then arrival. */
    @SuppressWarnings("unchecked")
    public List<Waiting> waiting() {
        List<Object[]> rows = em.createNativeQuery("select id, owner_id, container_id, slot_count, whole_gpu, profile, "
                        + "slot_id, priority, queued_at, expires_at, row_number() over (order by priority desc, "
                        + "queued_at, id) from gpu_request where node = ?1 and state = 'waiting' order by 11")
                .setParameter(1, node.name()).getResultList();
        List<Waiting> entries = new ArrayList<>();
        for (Object[] r : rows) {
            entries.add(new Waiting(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                    r[2] == null ? null : ((Number) r[2]).longValue(), ((Number) r[3]).intValue(), (Boolean) r[4],
                    (String) r[5], (String) r[6], ((Number) r[7]).intValue(), Timestamps.of(r[8]),
                    Timestamps.of(r[9]), ((Number) r[10]).intValue()));
        }
        return entries;
    }

    /** Whether anyone of this priority or higher waits on this node. */
    public boolean waitingAtOrAbove(int priority) {
        return !em.createNativeQuery("select 1 from gpu_request where node = ?1 and state = 'waiting' and priority >= ?2 "
                + "limit 1").setParameter(1, node.name()).setParameter(2, priority).getResultList().isEmpty();
    }

    /** Whether a request for this container waits. */
    public boolean waitingFor(long containerId) {
        return !em.createNativeQuery("select 1 from gpu_request where container_id = ?1 and state = 'waiting' limit 1")
                .setParameter(1, containerId).getResultList().isEmpty();
    }

    /** The containers some waiting request is for, on any node. */
    public Set<Long> waitingContainers() {
        Set<Long> ids = new HashSet<>();
        for (Object id : em.createNativeQuery("select distinct container_id from gpu_request where state = 'waiting' "
                + "and container_id is not null").getResultList()) {
            ids.add(((Number) id).longValue());
        }
        return ids;
    }

    /** Marks a waiting request granted these slots; false when it is no longer waiting (cancelled, expired). */
    public boolean grant(long id, List<String> slotIds) {
        return em.createNativeQuery("update gpu_request set state = 'granted', ended_at = now(), granted_slots = ?1 "
                + "where id = ?2 and state = 'waiting'").setParameter(1, String.join(",", slotIds))
                .setParameter(2, id).executeUpdate() == 1;
    }

    /**
     * Ends a waiting request, if it still waits (and, when {@code ownerId} is given, is theirs).
     *
     * @return the request as it ended, or empty when it was not waiting
     */
    public Optional<Ended> end(long id, Optional<Long> ownerId, State state, String reason) {
        return ended(em.createNativeQuery("update gpu_request set state = ?1, ended_at = now(), end_reason = ?2 "
                        + "where id = ?3 and state = 'waiting' and (?4 < 0 or owner_id = ?4) "
                        + "returning id, owner_id, container_id")
                .setParameter(1, state.stored()).setParameter(2, cut(reason)).setParameter(3, id)
                .setParameter(4, ownerId.orElse(-1L)).getResultList()).stream().findFirst();
    }

    /** Cancels every waiting request of a container. */
    public List<Ended> cancelFor(long containerId, String reason) {
        return ended(em.createNativeQuery("update gpu_request set state = 'cancelled', ended_at = now(), end_reason = ?1 "
                        + "where container_id = ?2 and state = 'waiting' returning id, owner_id, container_id")
                .setParameter(1, cut(reason)).setParameter(2, containerId).getResultList());
    }

    /** Ends this node's requests whose wait ran out. */
    public List<Ended> expire(String reason) {
        return ended(em.createNativeQuery("update gpu_request set state = 'expired', ended_at = now(), end_reason = ?1 "
                        + "where state = 'waiting' and node = ?2 and expires_at <= now() returning id, owner_id, container_id")
                .setParameter(1, cut(reason)).setParameter(2, node.name()).getResultList());
    }

    @SuppressWarnings("unchecked")
    private static List<Ended> ended(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Ended(((Number) r[0]).longValue(),
                ((Number) r[1]).longValue(), r[2] == null ? null : ((Number) r[2]).longValue())).toList();
    }

    private static String cut(String reason) {
        return reason.length() > 500 ? reason.substring(0, 500) : reason;
    }
}
