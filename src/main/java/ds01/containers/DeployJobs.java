package ds01.containers;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Deploys started from the browser run here, off the request thread, so the deploy page can show each step as
 * it ends. A job is kept for an hour after it began, for its page; its outcome is in the audit log for good.
 */
@ApplicationScoped
public class DeployJobs {

    private static final Duration KEPT = Duration.ofHours(1);

    /** One deploy under way or done: its steps so far, and its outcome once there is one. */
    public static final class Job {
        public final String id = UUID.randomUUID().toString();
        public final String owner;
        public final String project;
        public final Instant startedAt = Instant.now();
        public final List<Step> steps = new CopyOnWriteArrayList<>();
        private volatile Outcome outcome;

        Job(String owner, String project) {
            this.owner = owner;
            this.project = project;
        }

        public Optional<Outcome> outcome() {
            return Optional.ofNullable(outcome);
        }

        public boolean finished() {
            return outcome != null;
        }
    }

    private final DeployFlow flow;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "ds01-deploy");
        thread.setDaemon(true);
        return thread;
    });

    public DeployJobs(DeployFlow flow) {
        this.flow = flow;
    }

    public Job start(DeployFlow.DeployRequest request) {
        Instant old = Instant.now().minus(KEPT);
        jobs.values().removeIf(j -> j.finished() && j.startedAt.isBefore(old));
        Job job = new Job(request.account().username(), request.project());
        jobs.put(job.id, job);
        workers.submit(() -> {
            try {
                job.outcome = flow.deploy(request, job.steps::add);
            } catch (RuntimeException e) {
                // an outcome the page can show, rather than a job that never ends
                job.outcome = new Outcome(Outcome.Result.failed, null, null, List.copyOf(job.steps),
                        "The deploy stopped unexpectedly: " + e.getMessage());
                throw e;
            }
        });
        return job;
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
