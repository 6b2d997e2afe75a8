package ds01.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;

/** One state change in the portal and who caused it: a user, a policy, or the portal itself. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

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

    @Column(nullable = false, length = 64)
    public String node;

    public static List<AuditEvent> latest(int count) {
        return find("order by occurredAt desc, id desc").page(0, count).list();
    }

    public static List<AuditEvent> latestFor(String action, int count) {
        return find("action = ?1 order by occurredAt desc, id desc", action).page(0, count).list();
    }
}
