package ds01.images;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A user's image as the portal made it: its Dockerfile, its base, and how its last build went. */
@Entity
@Table(name = "image")
public class ImageRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    @Column(nullable = false, length = 64)
    public String name;

    @Column(length = 64)
    public String project;

    @Column(nullable = false)
    public String reference;

    @Column(name = "base_image", nullable = false)
    public String baseImage;

    @Column(nullable = false, columnDefinition = "text")
    public String dockerfile;

    @Column(nullable = false, length = 16)
    public String state;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "built_at")
    public OffsetDateTime builtAt;

    public static Optional<ImageRecord> of(long ownerId, String name) {
        return find("ownerId = ?1 and name = ?2", ownerId, name).firstResultOptional();
    }

    public static List<ImageRecord> ownedBy(long ownerId) {
        return list("ownerId = ?1 order by name", ownerId);
    }

    /** A new Dockerfile for the image; it is built again from now. */
    static void rebuilding(long id, String dockerfile) {
        update("dockerfile = ?1, state = 'building' where id = ?2", dockerfile, id);
    }

    /** A build ended: {@code state} is its outcome; a ready image notes when it was built. */
    static void built(String reference, String state) {
        if ("ready".equals(state)) {
            update("state = ?1, builtAt = ?2 where reference = ?3", state, OffsetDateTime.now(), reference);
        } else {
            update("state = ?1 where reference = ?2", state, reference);
        }
    }

    static void forget(long id) {
        deleteById(id);
    }

    /** How many images of this owner are ready to deploy. */
    static long readyOf(long ownerId) {
        return count("ownerId = ?1 and state = 'ready'", ownerId);
    }
}
