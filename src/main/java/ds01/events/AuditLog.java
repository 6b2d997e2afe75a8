package ds01.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/** Writes the audit trail: one event per state change, naming its actor (invariant 4). */
@ApplicationScoped
public class AuditLog {

    /** Joins the caller's transaction so the event commits or rolls back with the change it records. */
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEvent record(Actor actor, String action, String target, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = OffsetDateTime.now();
        event.actorKind = actor.kind();
        event.actor = actor.name();
        event.action = action;
        event.target = target;
        event.detail = detail;
        event.persist();
        return event;
    }

    /** What the policies (idle, runtime, holds, the queue) did since {@code since}, the latest first. */
    public List<AuditEvent> byPoliciesSince(OffsetDateTime since, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.byPoliciesSince(since, limit));
    }

    /** The events a search finds, the latest first, at most {@code limit}. */
    public List<AuditEvent> search(AuditEvent.Search search, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.search(search, limit));
    }

    /** How many events a search finds in all. */
    public long count(AuditEvent.Search search) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(search));
    }

    /** Every action the log holds, for the search form. */
    public List<String> actions() {
        return QuarkusTransaction.requiringNew().call(AuditEvent::actions);
    }
}
