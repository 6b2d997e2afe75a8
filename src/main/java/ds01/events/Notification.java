package ds01.events;

import ds01.nodes.OnNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;

/** Something the portal told a user: a warning before a stop, the stop itself, with why and what to do. */
@Entity
@Table(name = "notification")
public class Notification extends OnNode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    @Column(name = "container_id")
    public Long containerId;

    @Column(nullable = false, length = 32)
    public String kind;

    @Column(nullable = false, columnDefinition = "text")
    public String message;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "read_at")
    public OffsetDateTime readAt;


    public static List<Notification> of(long ownerId) {
        return list("ownerId = ?1 order by createdAt desc, id desc", ownerId);
    }

    public static long unread(long ownerId) {
        return count("ownerId = ?1 and readAt is null", ownerId);
    }

    /** The owner has seen their notifications. */
    static void allRead(long ownerId) {
        update("readAt = ?1 where ownerId = ?2 and readAt is null", OffsetDateTime.now(), ownerId);
    }
}
