package ds01.lifecycle;

import ds01.nodes.ThisNode;
import ds01.web.Printable;
import ds01.database.Timestamps;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.web.UserName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Exemptions from the lifecycle jobs that admins grant a user, each with an expiry and a reason: from idle stops,
 * from the maximum runtime, or both. Granting and revoking are audited; an expired one simply stops counting.
 */
@ApplicationScoped
public class Exemptions {

    public static final Set<String> SCOPES = Set.of("idle", "runtime", "all");
    static final Duration LONGEST = Duration.ofDays(90);

    public record Exemption(long id, String username, String scope, String reason, OffsetDateTime expiresAt,
            String grantedBy) {
    }

    private final EntityManager em;
    private final AuditLog auditLog;
    private final ThisNode node;

    public Exemptions(EntityManager em, AuditLog auditLog, ThisNode node) {
        this.node = node;
        this.em = em;
        this.auditLog = auditLog;
    }

    /** Who is exempt from what at {@code now}, as "user/idle" and "user/runtime" (an "all" gives both). */
    @SuppressWarnings("unchecked")
    public Set<String> at(Instant now) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select username, scope "
                + "from lifecycle_exemption where expires_at > ?1").setParameter(1, OffsetDateTime.ofInstant(now,
                        ZoneOffset.UTC)).getResultList());
        Set<String> exempt = new java.util.HashSet<>();
        for (Object[] r : rows) {
            for (String scope : r[1].equals("all") ? List.of("idle", "runtime") : List.of((String) r[1])) {
                exempt.add(r[0] + "/" + scope);
            }
        }
        return exempt;
    }

    @SuppressWarnings("unchecked")
    public List<Exemption> active() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select id, username, "
                + "scope, reason, expires_at, granted_by from lifecycle_exemption where expires_at > now() order by "
                + "expires_at").getResultList());
        return rows.stream().map(r -> new Exemption(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                (String) r[3], Timestamps.of(r[4]), (String) r[5])).toList();
    }

    /** @throws BadRequestException for a bad user name, scope, length (1 to 90 days) or an empty reason */
    public void grant(String admin, String username, String scope, int days, String reason) {
        if (!UserName.isValid(username)) {
            throw new BadRequestException("\"" + Printable.of(String.valueOf(username)) + "\" is not a user name.");
        }
        if (!SCOPES.contains(scope)) {
            throw new BadRequestException("An exemption is from idle, runtime or all.");
        }
        if (days < 1 || days > LONGEST.toDays()) {
            throw new BadRequestException("An exemption lasts 1 to " + LONGEST.toDays() + " days.");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 200 || why.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("Give a reason in one line of up to 200 characters: the user and other "
                    + "admins read it.");
        }
        OffsetDateTime until = OffsetDateTime.now().plusDays(days);
        QuarkusTransaction.requiringNew().run(() -> {
            // granted on this node, it holds on every node: the sweeps read exemptions whatever their node
            em.createNativeQuery("insert into lifecycle_exemption (username, scope, reason, expires_at, granted_by, node) "
                    + "values (?1, ?2, ?3, ?4, ?5, ?6)").setParameter(1, username).setParameter(2, scope)
                    .setParameter(3, why).setParameter(4, until).setParameter(5, admin).setParameter(6, node.name())
                    .executeUpdate();
            auditLog.record(Actor.user(admin), "lifecycle.exemption-grant", username, scope + " until " + until
                    .withNano(0) + ": " + why);
        });
    }

    public void revoke(String admin, long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            List<?> user = em.createNativeQuery("select username from lifecycle_exemption where id = ?1 and expires_at "
                    + "> now()").setParameter(1, id).getResultList();
            if (user.isEmpty()) {
                throw new NotFoundException("There is no active exemption " + id + ".");
            }
            em.createNativeQuery("update lifecycle_exemption set expires_at = now() where id = ?1").setParameter(1, id)
                    .executeUpdate();
            auditLog.record(Actor.user(admin), "lifecycle.exemption-revoke", (String) user.get(0), "exemption " + id);
        });
    }
}
