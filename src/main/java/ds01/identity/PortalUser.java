package ds01.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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
import java.util.OptionalLong;
import java.util.Set;

/** A host account as the portal has seen it: the row other records (tokens, allocations, containers) point at. */
@Entity
@Table(name = "portal_user")
public class PortalUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = 32)
    public String username;

    @Column(nullable = false)
    public int uid;

    @Column(nullable = false)
    public int gid;

    @Column(name = "home_directory", nullable = false, length = 4096)
    public String homeDirectory;

    @Column(name = "display_name", length = 200)
    public String displayName;

    @Column(length = 320)
    public String email;

    @Column(name = "limits_group", length = 64)
    public String limitsGroup;

    @Column(name = "is_admin", nullable = false)
    public boolean admin;

    @Column(name = "first_seen_at", nullable = false)
    public OffsetDateTime firstSeenAt;

    @Column(name = "last_sign_in_at")
    public OffsetDateTime lastSignInAt;

    /** The row id of a user, without loading the row; empty before their first sign-in wrote it. */
    static OptionalLong idOf(String username) {
        return ids(getEntityManager().createQuery("select u.id from PortalUser u where u.username = ?1", Long.class)
                .setParameter(1, username).getResultList());
    }

    /**
     * As {@link #idOf}, and locks the row until the caller's transaction ends: the checks one user's requests make
     * against their limits (GPU quota, container count) then run one at a time for that user.
     */
    static OptionalLong lockedIdOf(String username) {
        // native: Hibernate plans a locking JPQL query anew on every call, and every GPU grant takes this lock
        List<?> ids = getEntityManager().createNativeQuery("select id from portal_user where username = ?1 for update")
                .setParameter(1, username).getResultList();
        return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(((Number) ids.get(0)).longValue());
    }

    /** User names by row id, for lists that hold owner ids; ids without a row are left out. */
    static Map<Long, String> usernamesOf(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> names = new HashMap<>();
        getEntityManager().createQuery("select u.id, u.username from PortalUser u where u.id in ?1", Object[].class)
                .setParameter(1, Set.copyOf(ids)).getResultList()
                .forEach(r -> names.put((Long) r[0], (String) r[1]));
        return names;
    }

    static List<PortalUser> everyone() {
        return list("order by username");
    }

    private static OptionalLong ids(List<Long> ids) {
        return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ids.get(0));
    }

    static Optional<PortalUser> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /** The row for this account, made on first sight and kept in step with the host's uid, gid and home. */
    static PortalUser of(HostAccount account) {
        PortalUser user = byUsername(account.username()).orElseGet(() -> {
            PortalUser fresh = new PortalUser();
            fresh.username = account.username();
            fresh.firstSeenAt = OffsetDateTime.now();
            return fresh;
        });
        user.uid = account.uid();
        user.gid = account.gid();
        user.homeDirectory = account.home();
        user.persist();
        return user;
    }
}
