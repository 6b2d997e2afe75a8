package ds01.limits;

import ds01.events.Actor;
import ds01.events.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes the audit event for each reload of the limits file: who asked, and whether the file took effect. */
@ApplicationScoped
public class LimitsAudit {

    private final LimitsService limits;
    private final AuditLog auditLog;

    public LimitsAudit(LimitsService limits, AuditLog auditLog) {
        this.limits = limits;
        this.auditLog = auditLog;
    }

    /** Reloads the file for {@code actor} and records the outcome; returns whether it loaded. */
    public boolean reload(Actor actor) {
        boolean loaded = limits.reload();
        record(actor, loaded);
        return loaded;
    }

    /** Reloads only when the file changed since it was last read, recording the outcome when it did. */
    public void reloadIfChanged(Actor actor) {
        if (limits.reloadIfChanged()) {
            record(actor, limits.reloadError().isEmpty());
        }
    }

    private void record(Actor actor, boolean loaded) {
        String file = limits.loadedFrom().toString();
        if (loaded) {
            auditLog.record(actor, "limits.reload", file, "limits in force since " + limits.loadedAt());
        } else {
            auditLog.record(actor, "limits.reload-refused", file, limits.reloadError().orElseThrow().message());
        }
    }
}
