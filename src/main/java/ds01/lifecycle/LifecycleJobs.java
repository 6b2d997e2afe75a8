package ds01.lifecycle;

import ds01.web.StartPass;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/** The lifecycle sweep on the Quarkus scheduler, every {@code DS01_LIFECYCLE_INTERVAL} (a minute). */
@ApplicationScoped
public class LifecycleJobs {

    private static final Logger LOG = Logger.getLogger(LifecycleJobs.class);

    private final LifecycleSweep sweep;

    public LifecycleJobs(LifecycleSweep sweep) {
        this.sweep = sweep;
    }

    @Scheduled(identity = "lifecycle-sweep", every = "${ds01.lifecycle.interval:60s}", delayed = "${ds01.lifecycle.first-delay:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StartPass.class)
    void everyInterval() {
        LifecycleSweep.Report report = sweep.sweep(Instant.now());
        report.actions().forEach(a -> LOG.infof("lifecycle: %s", a));
    }
}
