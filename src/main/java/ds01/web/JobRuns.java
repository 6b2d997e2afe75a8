package ds01.web;

import io.quarkus.scheduler.FailedExecution;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.SuccessfulExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each scheduled job (reconciler, lifecycle sweep, GPU inventory, queue, metrics ...) last ended, as the
 * scheduler reports its runs: when, and the error if it failed. Kept in memory: a restart begins afresh, and the
 * health page says so.
 */
@ApplicationScoped
public class JobRuns {

    /** The last run of one job. */
    public record LastRun(Instant at, boolean failed, String error) {
    }

    private final Map<String, LastRun> last = new ConcurrentHashMap<>();

    void succeeded(@Observes SuccessfulExecution event) {
        record(event.getExecution(), null);
    }

    void failed(@Observes FailedExecution event) {
        Throwable e = event.getException();
        record(event.getExecution(), e == null ? "failed" : e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    public Optional<LastRun> of(String jobId) {
        return Optional.ofNullable(last.get(jobId));
    }

    private void record(ScheduledExecution execution, String error) {
        last.put(execution.getTrigger().getId(), new LastRun(Instant.now(), error != null, error));
    }
}
