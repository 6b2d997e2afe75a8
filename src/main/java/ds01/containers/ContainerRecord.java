package ds01.containers;

import ds01.nodes.OnNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The portal's record of a container: who owns it, for which project, its state as last seen, and its history.
 * Docker is the truth for which containers exist (invariant 5); retired records stay as history.
 */
@Entity
@Table(name = "container")
public class ContainerRecord extends OnNode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;


    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    @Column(nullable = false, length = 64)
    public String project;

    @Column(nullable = false, length = 128)
    public String name;

    @Column(name = "docker_id", length = 64)
    public String dockerId;

    @Column(name = "image_reference", nullable = false)
    public String imageReference;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ContainerState state;

    @Column(name = "created_by", nullable = false, length = 16)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "stopped_at")
    public OffsetDateTime stoppedAt;

    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;

    @Column(name = "last_activity_at")
    public OffsetDateTime lastActivityAt;

    /** The step a failed deploy failed at ("Start the container"); null for any other record. */
    @Column(name = "failed_step", length = 200)
    public String failedStep;

    /** A user's containers that are not retired: what {@code max_containers_per_user} counts (stopped ones too). */
    public static List<ContainerRecord> liveOf(long ownerId) {
        return list("ownerId = ?1 and retiredAt is null and state <> ?2 order by createdAt", ownerId,
                ContainerState.failed);
    }

    /** Listed on pages and in the API: not retired, and not a deploy that failed. */
    boolean listed() {
        return retiredAt == null && state != ContainerState.failed;
    }

    public static List<ContainerRecord> allLive() {
        return list("retiredAt is null and state <> ?1 order by createdAt", ContainerState.failed);
    }


    // --- state changes, each in the caller's transaction -------------------------------------

    /** Created on the engine: its id is known, it has not started yet. */
    static void markCreated(long id, String dockerId) {
        update("dockerId = ?1, state = ?2 where id = ?3", dockerId, ContainerState.created, id);
    }

    /** Running, from now (a deploy, a start, a restart, or found running on the engine). */
    static void markRunning(long id) {
        update("state = ?1, startedAt = ?2, stoppedAt = null where id = ?3", ContainerState.running, OffsetDateTime.now(),
                id);
    }

    static void markStopped(long id) {
        update("state = ?1, stoppedAt = ?2 where id = ?3", ContainerState.stopped, OffsetDateTime.now(), id);
    }

    static void markQueued(long id) {
        update("state = ?1 where id = ?2", ContainerState.queued, id);
    }

    /** Closed: retired, failed or missing; the row stays as history and the name is free again. */
    static void close(long id, ContainerState state) {
        update("state = ?1, retiredAt = ?2 where id = ?3", state, OffsetDateTime.now(), id);
    }

    /** A deploy failed at {@code step}: the record is closed as failed and names the step, in a transaction of its own. */
    static void closeFailedAt(long id, String step) {
        QuarkusTransaction.requiringNew().run(() -> update("state = ?1, retiredAt = ?2, failedStep = ?3 where id = ?4",
                ContainerState.failed, OffsetDateTime.now(), step.length() > 200 ? step.substring(0, 200) : step, id));
    }

    /** As {@link #close}, in a transaction of its own: for a flow that is in none. */
    static void closeAlone(long id, ContainerState state) {
        QuarkusTransaction.requiringNew().run(() -> close(id, state));
    }

    static void setDockerId(long id, String dockerId) {
        update("dockerId = ?1 where id = ?2", dockerId, id);
    }

    // --- reads for other features, through ContainerRecords ----------------------------------

    static Map<Long, String> namesOf(Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            getEntityManager().createQuery("select c.id, c.name from ContainerRecord c where c.id in ?1", Object[].class)
                    .setParameter(1, Set.copyOf(ids)).getResultList().forEach(r -> names.put((Long) r[0], (String) r[1]));
        }
        return names;
    }

    /** Of these containers, the closed ones (retired, failed, missing), with their names. */
    static Map<Long, String> closedAmong(Collection<Long> ids) {
        Map<Long, String> closed = new HashMap<>();
        if (!ids.isEmpty()) {
            getEntityManager().createQuery("select c.id, c.name from ContainerRecord c where c.id in ?1 and "
                    + "c.retiredAt is not null", Object[].class).setParameter(1, Set.copyOf(ids)).getResultList()
                    .forEach(r -> closed.put((Long) r[0], (String) r[1]));
        }
        return closed;
    }

    /** Names of the live containers made from this image. */
    static List<String> liveNamesUsing(String imageReference) {
        return getEntityManager().createQuery("select c.name from ContainerRecord c where c.imageReference = ?1 and "
                + "c.retiredAt is null order by c.name", String.class).setParameter(1, imageReference).getResultList();
    }

    /** Live containers by state, for the gauges. */
    static Map<String, Long> liveCountsByState() {
        Map<String, Long> counts = new HashMap<>();
        getEntityManager().createQuery("select c.state, count(c) from ContainerRecord c where c.retiredAt is null "
                + "group by c.state", Object[].class).getResultList()
                .forEach(r -> counts.put(String.valueOf(r[0]), ((Number) r[1]).longValue()));
        return counts;
    }

    /** Someone used it through the portal just now (Jupyter traffic, a terminal). */
    static void touch(long id) {
        update("lastActivityAt = ?1 where id = ?2", OffsetDateTime.now(), id);
    }

    /** The live, running container of this owner and project, if any. */
    static Optional<ContainerRecord> runningOf(long ownerId, String project) {
        return find("ownerId = ?1 and project = ?2 and retiredAt is null and state = ?3", ownerId, project,
                ContainerState.running).firstResultOptional();
    }

    /** Containers the lifecycle jobs watch: running, stopped, or created and never started; by id. */
    static List<ContainerRecord> watched() {
        return list("retiredAt is null and state in ?1 order by id", List.of(ContainerState.running,
                ContainerState.stopped, ContainerState.created));
    }
}
