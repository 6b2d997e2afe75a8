package ds01.web;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the reconciler's pass at start is done. The scheduler starts its jobs before the other start-up observers
 * run, the reconciler's among them, so a lifecycle sweep with a short first delay, or the GPU queue and hold sweeps
 * (which wait for nothing), would otherwise act on records the reconciler is still converging: stop a container it
 * is marking stopped, or make the container of a queued deploy it is undoing. The jobs that change containers or
 * GPU slots skip their runs ({@code skipExecutionIf}) until the pass is done.
 */
@Singleton
public class StartPass implements Scheduled.SkipPredicate {

    private final AtomicBoolean done = new AtomicBoolean();

    /** The reconciler's pass at start has ended (or was configured off, or failed): jobs may run. */
    public void done() {
        done.set(true);
    }

    public boolean isDone() {
        return done.get();
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !done.get();
    }
}
