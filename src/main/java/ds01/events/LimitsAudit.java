package ds01.events;

import ds01.limits.LimitsFileChanged;
import ds01.limits.LimitsService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    /** Records the reload the file watch made when the file changed since it was last read. */
    void fileChanged(@Observes LimitsFileChanged changed) {
        record(Actor.system("limits-file-watch"), changed.loaded());
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
