package ds01.identity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

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
    public static java.util.OptionalLong idOf(String username) {
        java.util.List<?> id = getEntityManager().createNativeQuery("select id from portal_user where username = ?1")
                .setParameter(1, username).getResultList();
        return id.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(((Number) id.get(0)).longValue());
    }

    public static Optional<PortalUser> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /** The row for this account, made on first sight and kept in step with the host's uid, gid and home. */
    public static PortalUser of(HostAccount account) {
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
