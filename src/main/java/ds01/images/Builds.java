package ds01.images;

import ds01.identity.PortalUser;
import ds01.engine.EngineException;
import ds01.engine.ImageBuilder;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.identity.HostAccount;
import ds01.projects.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds users' images from their recipes: writes the Dockerfile into the project's workspace (the user's copy,
 * to rebuild or change later), builds it on the engine from a context holding only that file, keeps the log for
 * whoever watches, and records the result. A user runs at most {@code ds01.images.builds-per-user} builds at
 * once, the machine {@code ds01.images.builds}.
 */
@ApplicationScoped
public class Builds {

    private static final Logger LOG = Logger.getLogger(Builds.class);
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) :");

    /** One build: its log so far, step N of M, and how it ended. */
    public static final class Job {
        public final String id = UUID.randomUUID().toString();
        public final String owner;
        public final String reference;
        public final String dockerfile;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
        private final List<Runnable> endWatchers = new CopyOnWriteArrayList<>();
        private volatile int step;
        private volatile int steps;
        private volatile String state = "running";
        private volatile String message = "building";
        private volatile ImageBuilder.Build build;
        private volatile boolean cancelled;
        private volatile long startedNanos;

        Job(String owner, String reference, String dockerfile) {
            this.owner = owner;
            this.reference = reference;
            this.dockerfile = dockerfile;
        }

        public String state() {
            return state;
        }

        public String message() {
            return message;
        }

        public int step() {
            return step;
        }

        public int steps() {
            return steps;
        }

        public List<String> lines() {
            return List.copyOf(lines);
        }

        public boolean finished() {
            return !state.equals("running");
        }

        /** Replays the log so far to {@code watcher}, then hands it each new line; {@code end} runs once it ends. */
        public synchronized void watch(Consumer<String> watcher, Runnable end) {
            lines.forEach(watcher);
            if (finished()) {
                end.run();
                return;
            }
            watchers.add(watcher);
            endWatchers.add(end);
        }

        public void unwatch(Consumer<String> watcher) {
            watchers.remove(watcher);
        }

        synchronized void add(String line) {
            lines.add(line);
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                step = Integer.parseInt(m.group(1));
                steps = Integer.parseInt(m.group(2));
            }
            watchers.forEach(w -> w.accept(line));
        }

        synchronized void end(String state, String message) {
            add("[ds01] " + message);
            this.message = message;
            this.state = state;
            endWatchers.forEach(Runnable::run);
            watchers.clear();
            endWatchers.clear();
        }
    }

    private final ImageBuilder builder;
    private final Workspaces workspaces;
    private final EntityManager em;
    private final AuditLog auditLog;
    private final ImagesConfig config;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ds01-build");
        thread.setDaemon(true);
        return thread;
    });

    private final MeterRegistry metrics;

    public Builds(ImageBuilder builder, Workspaces workspaces, EntityManager em, AuditLog auditLog, ImagesConfig config,
            MeterRegistry metrics) {
        this.metrics = metrics;
        this.builder = builder;
        this.workspaces = workspaces;
        this.em = em;
        this.auditLog = auditLog;
        this.config = config;
    }

    /**
     * Writes the Dockerfile and starts the build.
     *
     * @throws WebApplicationException 409 when the user or the machine already runs as many builds as allowed
     */
    public synchronized Job start(HostAccount account, ImageRecipe recipe) {
        checkLimits(account);
        String dockerfile = DockerfileGenerator.generate(recipe, account, OffsetDateTime.now());
        String reference = recipe.reference(account.uid());
        return launch(account, recipe.project(), reference, dockerfile,
                () -> record(account, recipe, reference, dockerfile));
    }

    /**
     * Builds an image again from a changed Dockerfile (packages added or removed): the same reference, so new
     * containers get the new image; running ones keep the old one until they are retired and deployed again.
     */
    public synchronized Job rebuild(HostAccount account, ImageRecord image, String dockerfile, String change) {
        checkLimits(account);
        return launch(account, image.project, image.reference, dockerfile, () -> QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update image set dockerfile = ?1, state = 'building' where id = ?2")
                    .setParameter(1, dockerfile).setParameter(2, image.id).executeUpdate();
            auditLog.record(Actor.user(account.username()), "image.update", image.reference, change);
        }));
    }

    private void checkLimits(HostAccount account) {
        long mine = jobs.values().stream().filter(j -> !j.finished() && j.owner.equals(account.username())).count();
        long all = jobs.values().stream().filter(j -> !j.finished()).count();
        if (mine >= config.buildsPerUser()) {
            throw new WebApplicationException("You are building " + mine + " image(s) already; at most "
                    + config.buildsPerUser() + " at once. Wait for it to finish, or cancel it.", 409);
        }
        if (all >= config.builds()) {
            throw new WebApplicationException("The server is building " + all + " images, as many as it builds at "
                    + "once. Try again in a few minutes.", 409);
        }
    }

    private Job launch(HostAccount account, String project, String reference, String dockerfile, Runnable recordIt) {
        workspaces.write(account, project, "Dockerfile", dockerfile);
        Job job = new Job(account.username(), reference, dockerfile);
        recordIt.run();
        jobs.put(job.id, job);
        workers.submit(() -> run(job, account));
        return job;
    }

    private void run(Job job, HostAccount account) {
        job.startedNanos = System.nanoTime();
        Path context = null;
        try {
            context = Files.createTempDirectory("ds01-build-");
            Files.writeString(context.resolve("Dockerfile"), job.dockerfile, StandardCharsets.UTF_8);
            job.build = builder.start(context, job.reference, job::add);
            if (job.cancelled) {
                job.build.cancel();
            }
            String imageId = job.build.awaitImageId();
            finish(job, account, "ready", "succeeded", "built " + job.reference + " (" + imageId.replace("sha256:", "")
                    .substring(0, 12) + ")", "image.built");
        } catch (EngineException | IOException | UncheckedIOException e) {
            if (job.cancelled) {
                finish(job, account, "cancelled", "cancelled", "the build of " + job.reference + " was cancelled",
                        "image.build-cancelled");
            } else {
                LOG.warnf("build of %s failed: %s", job.reference, e.getMessage());
                finish(job, account, "failed", "failed", "the build of " + job.reference + " failed: " + e.getMessage(),
                        "image.build-failed");
            }
        } finally {
            deleteQuietly(context);
        }
    }

    /** Stops a running build; false when there is no such running build of {@code owner} (empty: an admin's). */
    public boolean cancel(String id, Optional<String> owner) {
        Job job = jobs.get(id);
        if (job == null || job.finished() || owner.map(o -> !o.equals(job.owner)).orElse(false)) {
            return false;
        }
        job.cancelled = true;
        ImageBuilder.Build build = job.build;
        if (build != null) {
            build.cancel();
        }
        return true;
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    private void record(HostAccount account, ImageRecipe recipe, String reference, String dockerfile) {
        QuarkusTransaction.requiringNew().run(() -> {
            long ownerId = PortalUser.of(account).id;
            ImageRecord image = ImageRecord.of(ownerId, recipe.name()).orElseGet(ImageRecord::new);
            image.ownerId = ownerId;
            image.name = recipe.name();
            image.project = recipe.project();
            image.reference = reference;
            image.baseImage = recipe.base().image();
            image.dockerfile = dockerfile;
            image.state = "building";
            image.persist();
            auditLog.record(Actor.user(account.username()), "image.build", reference, "on " + recipe.base().image()
                    + ", " + recipe.packages().size() + " pip package(s), " + recipe.aptPackages().size() + " apt");
        });
    }

    private void finish(Job job, HostAccount account, String recordState, String jobState, String message, String action) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update image set state = ?1, built_at = case when ?1 = 'ready' then now() else built_at "
                            + "end where reference = ?2")
                    .setParameter(1, recordState).setParameter(2, job.reference).executeUpdate();
            auditLog.record(Actor.user(account.username()), action, job.reference, message);
        });
        // ds01_image_build_duration_seconds: its _count is the number of builds, by outcome
        Timer.builder("ds01.image.build.duration").description("Image builds, from start to end, by outcome")
                .tag("outcome", jobState)
                .serviceLevelObjectives(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40),
                        Duration.ofMinutes(60))
                .register(metrics)
                .record(System.nanoTime() - job.startedNanos, TimeUnit.NANOSECONDS);
        job.end(jobState, message);
    }

    private static void deleteQuietly(Path context) {
        if (context == null) {
            return;
        }
        try (var files = Files.walk(context)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("could not remove the build context %s: %s", context, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
