package ds01.limits;

import ds01.events.Actor;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

/**
 * Polls the limits file's modification time. Polling rather than a WatchService: it also sees
 * files replaced by rename (editors, config management) and files on network mounts.
 */
@ApplicationScoped
public class LimitsFileWatch {

    private final LimitsAudit limits;

    public LimitsFileWatch(LimitsAudit limits) {
        this.limits = limits;
    }

    @Scheduled(identity = "limits-file-watch", every = "${ds01.limits.reload-interval:5s}",
            delayed = "${ds01.limits.reload-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkForChanges() {
        limits.reloadIfChanged(Actor.system("limits-file-watch"));
    }
}
