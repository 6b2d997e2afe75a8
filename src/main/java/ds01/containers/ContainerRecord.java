package ds01.containers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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
import java.util.List;

/**
 * The portal's record of a container: who owns it, for which project, its state as last seen, and its history.
 * Docker is the truth for which containers exist (invariant 5); retired records stay as history.
 */
@Entity
@Table(name = "container")
public class ContainerRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 64)
    public String node = "local";

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

    /** A user's containers that are not retired: what {@code max_containers_per_user} counts (stopped ones too). */
    public static List<ContainerRecord> liveOf(long ownerId) {
        return list("ownerId = ?1 and retiredAt is null and state <> ?2 order by createdAt", ownerId,
                ContainerState.failed);
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

    /** As {@link #close}, in a transaction of its own: for a flow that is in none. */
    static void closeAlone(long id, ContainerState state) {
        QuarkusTransaction.requiringNew().run(() -> close(id, state));
    }

    static void setDockerId(long id, String dockerId) {
        update("dockerId = ?1 where id = ?2", dockerId, id);
    }
}
