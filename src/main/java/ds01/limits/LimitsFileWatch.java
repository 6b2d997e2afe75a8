package ds01.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.quarkus.scheduler.Scheduled;

/**
 * Polls the limits file's modification time. Polling rather than a WatchService: it also sees
 * files replaced by rename (editors, config management) and files on network mounts.
 */
@ApplicationScoped
public class LimitsFileWatch {

    private final LimitsService limits;
    private final Event<LimitsFileChanged> changed;

    public LimitsFileWatch(LimitsService limits, Event<LimitsFileChanged> changed) {
        this.limits = limits;
        this.changed = changed;
    }

    @Scheduled(identity = "limits-file-watch", every = "${ds01.limits.reload-interval:5s}",
            delayed = "${ds01.limits.reload-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkForChanges() {
        if (limits.reloadIfChanged()) {
            changed.fire(new LimitsFileChanged(limits.reloadError().isEmpty()));
        }
    }
}
