package ds01.events;

import ds01.nodes.OnNode;
import io.quarkus.panache.common.Parameters;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** One state change in the portal and who caused it: a user, a policy, or the portal itself. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends OnNode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    @Column(name = "actor_kind", nullable = false, length = 8)
    public String actorKind;

    @Column(nullable = false, length = 64)
    public String actor;

    @Column(nullable = false, length = 64)
    public String action;

    @Column(length = 255)
    public String target;

    @Column(columnDefinition = "text")
    public String detail;


    public static List<AuditEvent> latest(int count) {
        return find("order by occurredAt desc, id desc").page(0, count).list();
    }

    public static List<AuditEvent> latestFor(String action, int count) {
        return find("action = ?1 order by occurredAt desc, id desc", action).page(0, count).list();
    }

    /**
     * What an admin searches the log for: events by or about a user (the actor, or the user's name in the target),
     * an action (exact, or every action under a prefix ending in a dot: {@code container.}), within [from, to).
     */
    public record Search(Optional<String> user, Optional<String> action, OffsetDateTime from, OffsetDateTime to) {

        private String where() {
            return "occurredAt >= :from and occurredAt < :to"
                    + user.map(u -> " and (actor = :user or target like :userInTarget escape '!')").orElse("")
                    + action.map(a -> a.endsWith(".") ? " and action like :action escape '!'" : " and action = :action")
                            .orElse("");
        }

        private Parameters parameters() {
            Parameters p = Parameters.with("from", from).and("to", to);
            user.ifPresent(u -> p.and("user", u).and("userInTarget", "%" + likeEscaped(u) + "%"));
            action.ifPresent(a -> p.and("action", a.endsWith(".") ? likeEscaped(a) + "%" : a));
            return p;
        }

        private static String likeEscaped(String text) {
            return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        }
    }

    /** The newest {@code limit} events the search finds, newest first. */
    public static List<AuditEvent> search(Search search, int limit) {
        return find(search.where() + " order by occurredAt desc, id desc", search.parameters()).page(0, limit).list();
    }

    public static long count(Search search) {
        return count(search.where(), search.parameters());
    }

    /** Every action the log holds, for the search form's choices. */
    public static List<String> actions() {
        return getEntityManager().createQuery("select distinct e.action from AuditEvent e order by 1", String.class)
                .getResultList();
    }

    static List<AuditEvent> byPoliciesSince(OffsetDateTime since, int limit) {
        return find("actorKind = 'policy' and occurredAt > ?1 order by occurredAt desc, id desc", since)
                .page(0, limit).list();
    }
}
