package ds01.containers;

import ds01.engine.AimeLabels;
import ds01.engine.ContainerEngine;
import ds01.engine.ContainerSpec;
import ds01.engine.MachineFit;
import ds01.engine.EngineContainer;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.AllocationRequest;
import ds01.gpu.AllocationResult;
import ds01.gpu.Allocator;
import ds01.gpu.GpuHolds;
import ds01.gpu.GpuQueue;
import ds01.gpu.InventoryService;
import ds01.gpu.Slot;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.limits.EffectiveLimits;
import ds01.limits.LimitKey;
import ds01.limits.LimitsService;
import ds01.projects.ProjectName;
import ds01.projects.Workspaces;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Deploy, stop, start and retire: the portal owns every container operation, so limits hold for everyone.
 * A deploy runs in named steps; if one fails, what the steps before it did is undone (slots released, the
 * half-made container removed, the record closed) and the outcome says which step failed and why. A deploy
 * that waits for a GPU continues when the queue grants it. Workspaces are never deleted (invariant 3).
 */
@ApplicationScoped
public class Deployments {

    private static final Logger LOG = Logger.getLogger(Deployments.class);

    /** GPUs for a deploy: {@code count} 0 is CPU-only. */
    public record GpuChoice(int count, boolean wholeGpu, Optional<String> profile) {

        public static GpuChoice none() {
            return new GpuChoice(0, false, Optional.empty());
        }
    }

    public record DeployRequest(HostAccount account, String project, String image, GpuChoice gpus, String createdBy) {
    }

    /** One step of an operation as the user sees it: done, failed, undone, skipped or waiting. */
    public record Step(String name, String state, String detail) {
    }

    /** {@code result}: running, queued, refused (nothing was made), failed (a step failed, the rest undone), stopped, retired. */
    public record Outcome(String result, Long containerId, String containerName, List<Step> steps, String message) {

        public boolean succeeded() {
            return !result.equals("refused") && !result.equals("failed");
        }
    }

    private final EntityManager em;
    private final MeterRegistry metrics;
    private final ContainerEngine engine;
    private final ImagePolicy images;
    private final Workspaces workspaces;
    private final LimitsService limits;
    private final GpuQueue queue;
    private final GpuHolds holds;
    private final Allocator allocator;
    private final InventoryService inventory;
    private final HostAccounts accounts;
    private final AuditLog auditLog;
    private final ContainersConfig config;
    private final SiteMounts siteMounts;

    public Deployments(EntityManager em, ContainerEngine engine, ImagePolicy images, Workspaces workspaces,
            LimitsService limits, GpuQueue queue, GpuHolds holds, Allocator allocator, InventoryService inventory,
            HostAccounts accounts, AuditLog auditLog, ContainersConfig config, SiteMounts siteMounts,
            MeterRegistry metrics) {
        this.metrics = metrics;
        this.siteMounts = siteMounts;
        this.em = em;
        this.engine = engine;
        this.images = images;
        this.workspaces = workspaces;
        this.limits = limits;
        this.queue = queue;
        this.holds = holds;
        this.allocator = allocator;
        this.inventory = inventory;
        this.accounts = accounts;
        this.auditLog = auditLog;
        this.config = config;
    }

    /** Collects the steps of one operation and tells a watcher (the deploy page) each as it ends. */
    private static final class Progress {
        final List<Step> steps = new ArrayList<>();
        private final Consumer<Step> watcher;

        Progress(Consumer<Step> watcher) {
            this.watcher = watcher;
        }

        Progress() {
            this(step -> { });
        }

        void add(Step step) {
            steps.add(step);
            watcher.accept(step);
        }

        void done(String name, String detail) {
            add(new Step(name, "done", detail));
        }

        Outcome refuse(String name, String why) {
            add(new Step(name, "failed", why));
            return new Outcome("refused", null, null, List.copyOf(steps), why);
        }
    }

    public Outcome deploy(DeployRequest request) {
        return deploy(request, step -> { });
    }

    /**
     * As {@link #deploy(DeployRequest)}, handing each step to {@code watcher} as it ends. Timed for
     * {@code ds01_deploy_duration_seconds}, by result (running, queued, refused, failed).
     */
    public Outcome deploy(DeployRequest request, Consumer<Step> watcher) {
        long started = System.nanoTime();
        Outcome outcome = deploySteps(request, watcher);
        Timer.builder("ds01.deploy.duration").description("Time from a deploy request to its outcome")
                .tag("result", outcome.result())
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5))
                .register(metrics)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return outcome;
    }

    private Outcome deploySteps(DeployRequest request, Consumer<Step> watcher) {
        Progress progress = new Progress(watcher);
        HostAccount account = request.account();
        String check = "Check the project and image";
        if (!ProjectName.isValid(request.project())) {
            return progress.refuse(check, "\"" + request.project() + "\" is not " + ProjectName.DESCRIPTION + ".");
        }
        Optional<String> imageRefusal = images.refusal(account, request.image());
        if (imageRefusal.isPresent()) {
            return progress.refuse(check, imageRefusal.get());
        }
        if (!engine.imageExists(request.image())) {
            return progress.refuse(check, "The image " + request.image() + " is not on this server. Build it first, "
                    + "or pick another.");
        }
        progress.done(check, request.project() + ", " + request.image());

        EffectiveLimits limit = limits.forUser(account.username(), Set.copyOf(account.groups()));
        String name = AimeLabels.containerName(request.project(), account.uid());
        String reserve = "Check your containers";
        Object reserved = QuarkusTransaction.requiringNew().call(() -> reserveRecord(request, limit, name));
        if (reserved instanceof String why) {
            return progress.refuse(reserve, why);
        }
        ContainerRecord record = (ContainerRecord) reserved;
        progress.done(reserve, "container " + name + " recorded");

        List<Slot> slots = List.of();
        String gpuStep = "Allocate GPUs";
        if (request.gpus().count() > 0) {
            AllocationResult result = queue.request(new AllocationRequest(account.username(), Set.copyOf(account.groups()),
                    record.id, request.gpus().count(), request.gpus().wholeGpu(), request.gpus().profile()));
            if (result instanceof AllocationResult.Refused refused) {
                close(record, "failed");
                progress.add(new Step(gpuStep, "failed", refused.message()));
                return new Outcome("refused", null, name, List.copyOf(progress.steps), refused.message());
            }
            if (result instanceof AllocationResult.Queued queued) {
                QuarkusTransaction.requiringNew().run(() -> ContainerRecord.markQueued(record.id));
                progress.add(new Step(gpuStep, "waiting", queued.message()));
                auditLog.record(Actor.user(account.username()), "container.queue", name, "waits for a GPU at position "
                        + queued.position());
                return new Outcome("queued", record.id, name, List.copyOf(progress.steps), queued.message());
            }
            slots = ((AllocationResult.Granted) result).slots();
            progress.done(gpuStep, slots.stream().map(s -> s.id() + " (" + s.profile().orElse("whole GPU") + ")")
                    .collect(Collectors.joining(", ")));
        } else {
            progress.add(new Step(gpuStep, "skipped", "CPU-only, as asked"));
        }
        return build(record, account, request.image(), slots, limit, progress, Actor.user(account.username()));
    }

    /** A queued deploy got its GPUs: make and start its container now. */
    void onGranted(@Observes GpuQueue.RequestGranted granted) {
        if (granted.containerId() == null) {
            return;
        }
        ContainerRecord record = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(granted.containerId()));
        if (record == null || !"queued".equals(record.state)) {
            if (record != null && record.retiredAt != null) {
                // closed while it waited: the slots were granted to nobody
                allocator.releaseContainer(record.id, Actor.system("deploy"), "its container was closed while it waited");
            }
            return;
        }
        Optional<HostAccount> account = accounts.find(granted.username());
        if (account.isEmpty()) {
            allocator.releaseContainer(record.id, Actor.system("deploy"), "the owner's host account is gone");
            close(record, "failed");
            return;
        }
        EffectiveLimits limit = limits.forUser(granted.username(), Set.copyOf(account.get().groups()));
        Progress progress = new Progress();
        progress.done("Allocate GPUs", "from the queue: " + granted.slots().stream().map(Slot::id)
                .collect(Collectors.joining(", ")));
        build(record, account.get(), record.imageReference, granted.slots(), limit, progress, Actor.policy("gpu-queue"));
    }

    /**
     * The GPU request a queued deploy waited for ended without a grant (refused: the owner's limits no longer let it;
     * expired; cancelled): nothing will continue the deploy, so its record closes rather than wait queued for good.
     */
    void onRequestEnded(@Observes GpuQueue.RequestEnded ended) {
        if (ended.containerId() == null) {
            return;
        }
        ContainerRecord record = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(ended.containerId()));
        if (record == null || record.retiredAt != null || !"queued".equals(record.state)) {
            // a deploy refused before it queued closes itself
            return;
        }
        close(record, "failed");
        auditLog.record(Actor.policy("gpu-queue"), "container.deploy-failed", record.name, "its GPU request was "
                + ended.state() + ": " + ended.reason());
    }

    private Outcome build(ContainerRecord record, HostAccount account, String image, List<Slot> slots,
            EffectiveLimits limit, Progress progress, Actor actor) {
        String step = "Prepare the workspace";
        String dockerId = null;
        try {
            Path workspace = workspaces.ensure(account, record.project);
            progress.done(step, workspace.toString());

            step = "Create the container";
            ContainerSpec spec = spec(record, account, image, workspace, slots, limit);
            MachineFit fit = new MachineFit(engine.machineSize());
            dockerId = engine.create(fit.apply(spec));
            String created = dockerId;
            QuarkusTransaction.requiringNew().run(() -> ContainerRecord.markCreated(record.id, created));
            progress.done(step, record.name + " (" + dockerId.substring(0, 12) + ")"
                    + fit.words(spec).map(w -> ": " + w).orElse(""));

            step = "Start the container";
            engine.start(dockerId);
            QuarkusTransaction.requiringNew().run(() -> {
                ContainerRecord.markRunning(record.id);
                auditLog.record(actor, "container.deploy", record.name, "image " + image + ", GPUs "
                        + (slots.isEmpty() ? "none" : slots.stream().map(Slot::id).collect(Collectors.joining(","))));
            });
            progress.done(step, "running");
            return new Outcome("running", record.id, record.name, List.copyOf(progress.steps),
                    record.name + " is running.");
        } catch (RuntimeException e) {
            String why = e.getMessage();
            LOG.warnf("deploy of %s failed at \"%s\": %s", record.name, step, why);
            progress.add(new Step(step, "failed", why));
            undo(record, dockerId, progress, step + " failed");
            auditLog.record(actor, "container.deploy-failed", record.name, step + ": " + why);
            return new Outcome("failed", record.id, record.name, List.copyOf(progress.steps), "Step \"" + step
                    + "\" failed: " + why + " Everything before it was undone; your workspace files are untouched.");
        }
    }

    private ContainerSpec spec(ContainerRecord record, HostAccount account, String image, Path workspace,
            List<Slot> slots, EffectiveLimits limit) {
        Map<String, String> gpus = new LinkedHashMap<>();
        slots.forEach(s -> gpus.put(s.id(), s.uuid()));
        return new ContainerSpec(record.name, account.username(), account.uid(), account.gid(), record.project, image,
                workspace, existing(config.dataDirectory(), account), existing(config.modelsDirectory(), account),
                siteMounts.mounts(), siteMounts.devices(), gpus, limit.maxCpus().value().bound(), limit.memory().value().bound(),
                limit.memorySwap().value().bound(), limit.shmSize().value().bound(),
                limit.pidsLimit().value().bound().map(Integer::longValue), config.cgroupParent(), record.createdBy);
    }

    /** A configured per-user directory, mounted only where it exists: the engine would make a missing one as root. */
    private static Optional<Path> existing(Optional<String> template, HostAccount account) {
        return template.map(t -> Path.of(t.replace("{user}", account.username()))).filter(Files::isDirectory);
    }

    /** In one transaction with the owner's row locked: the count limit, the name, then the record. */
    private Object reserveRecord(DeployRequest request, EffectiveLimits limit, String name) {
        List<?> owner = em.createNativeQuery("select id from portal_user where username = ?1 for update")
                .setParameter(1, request.account().username()).getResultList();
        if (owner.isEmpty()) {
            return request.account().username() + " has never signed in to the portal.";
        }
        long ownerId = ((Number) owner.get(0)).longValue();
        List<ContainerRecord> live = ContainerRecord.liveOf(ownerId);
        Optional<ContainerRecord> same = live.stream().filter(c -> c.name.equals(name)).findFirst();
        if (same.isPresent()) {
            return "You already have a container for project " + request.project() + " (" + same.get().state
                    + "). Open it, start it again, or retire it first.";
        }
        Optional<Integer> max = limit.maxContainersPerUser().value().bound();
        if (max.isPresent() && live.size() >= max.get()) {
            return "You have " + live.size() + " container(s) (" + live.stream().map(c -> c.name + " " + c.state)
                    .collect(Collectors.joining(", ")) + ") and may have at most " + max.get()
                    + " (max_containers_per_user, " + limit.maxContainersPerUser().source() + "); stopped ones count. "
                    + "Retire one first.";
        }
        if (engine.find(name).isPresent()) {
            return "The engine already has a container named " + name + " that the portal does not manage. Ask an "
                    + "admin to adopt or remove it.";
        }
        ContainerRecord record = new ContainerRecord();
        record.ownerId = ownerId;
        record.project = request.project();
        record.name = name;
        record.imageReference = request.image();
        record.state = "creating";
        record.createdBy = request.createdBy();
        record.persist();
        return record;
    }

    /** Stops the container; its GPU slots are held for the owner's {@code gpu_hold_after_stop}. */
    public Outcome stop(long containerId, Actor actor) {
        return stop(containerId, actor, "stopped");
    }

    /**
     * Stops the container (SIGTERM, the owner's {@code sigterm_grace}, then kill), with why in its audit event: a
     * policy says which signals led to it.
     */
    public Outcome stop(long containerId, Actor actor, String why) {
        ContainerRecord record = live(containerId);
        Progress progress = new Progress();
        if (record.dockerId != null) {
            engine.stop(record.dockerId, graceOf(record));
        }
        progress.done("Stop the container", "stopped");
        QuarkusTransaction.requiringNew().run(() -> {
            ContainerRecord.markStopped(containerId);
            auditLog.record(actor, "container.stop", record.name, why);
        });
        GpuHolds.Hold hold = holds.containerStopped(containerId, actor);
        if (!hold.slotIds().isEmpty()) {
            progress.done("Hold its GPUs", String.join(", ", hold.slotIds()) + hold.until()
                    .map(u -> " until " + u).orElse(" until the container is removed"));
        }
        return new Outcome("stopped", containerId, record.name, List.copyOf(progress.steps), record.name + " is stopped.");
    }

    /**
     * Starts a stopped container again, if the GPUs its engine container names are still its own: a hold that
     * ended gave them back, and starting it would use GPUs someone else may hold now.
     */
    public Outcome start(long containerId, Actor actor) {
        ContainerRecord record = live(containerId);
        Progress progress = new Progress();
        Optional<EngineContainer> found = record.dockerId == null ? Optional.empty() : engine.find(record.dockerId);
        if (found.isEmpty()) {
            return progress.refuse("Check the container", "The engine no longer has " + record.name + ". Retire it "
                    + "and deploy again; your workspace files are untouched.");
        }
        List<String> named = List.of(found.get().labels().getOrDefault(AimeLabels.GPU_SLOTS, "").split(",")).stream()
                .filter(s -> !s.isBlank()).toList();
        Set<String> held = allocator.live(Optional.empty()).stream().filter(h -> Long.valueOf(containerId).equals(h.containerId()))
                .map(Allocator.Held::slotId).collect(Collectors.toSet());
        Set<String> present = inventory.current().inventory().slots().stream().map(Slot::id).collect(Collectors.toSet());
        List<String> lost = named.stream().filter(s -> !held.contains(s) || !present.contains(s)).toList();
        if (!lost.isEmpty()) {
            return progress.refuse("Check its GPUs", "GPU slot(s) " + String.join(", ", lost) + " of " + record.name
                    + " are no longer held for it (its hold after stop ended, or the GPU is gone). Retire it and deploy "
                    + "again to get a GPU; your workspace files are untouched.");
        }
        progress.done("Check its GPUs", named.isEmpty() ? "CPU-only" : "still held: " + String.join(", ", named));
        engine.start(record.dockerId);
        QuarkusTransaction.requiringNew().run(() -> {
            ContainerRecord.markRunning(containerId);
            auditLog.record(actor, "container.start", record.name, "started again");
        });
        holds.containerStarted(containerId, actor);
        progress.done("Start the container", "running");
        return new Outcome("running", containerId, record.name, List.copyOf(progress.steps), record.name + " is running.");
    }

    /** Stop and start again at once: its GPUs stay its own, no hold begins. */
    public Outcome restart(long containerId, Actor actor) {
        ContainerRecord record = live(containerId);
        if (record.dockerId == null || !"running".equals(record.state)) {
            return new Progress().refuse("Restart", record.name + " is " + record.state + ", not running; start it instead.");
        }
        engine.stop(record.dockerId, graceOf(record));
        engine.start(record.dockerId);
        QuarkusTransaction.requiringNew().run(() -> {
            ContainerRecord.markRunning(containerId);
            auditLog.record(actor, "container.restart", record.name, "stopped and started again");
        });
        return new Outcome("running", containerId, record.name, List.of(new Step("Restart", "done", "running")),
                record.name + " was restarted.");
    }

    /** Stop (SIGTERM, then kill after the owner's {@code sigterm_grace}), remove, release GPUs. Files stay. */
    public Outcome retire(long containerId, Actor actor) {
        return retire(containerId, actor, false);
    }

    /**
     * As {@link #retire(long, Actor)}; with {@code deleteImage}, the container's image goes too when it is the
     * owner's own ({@code ds01-<uid>/...}) and no other container of theirs uses it. Base images always stay.
     */
    public Outcome retire(long containerId, Actor actor, boolean deleteImage) {
        return retire(containerId, actor, deleteImage, Optional.empty());
    }

    /** As {@link #retire(long, Actor)}, with why in its audit event (an admin's reason). */
    public Outcome retire(long containerId, Actor actor, String why) {
        return retire(containerId, actor, false, Optional.of(why));
    }

    private Outcome retire(long containerId, Actor actor, boolean deleteImage, Optional<String> why) {
        ContainerRecord record = live(containerId);
        Progress progress = new Progress();
        if (record.dockerId != null) {
            engine.stop(record.dockerId, graceOf(record));
            progress.done("Stop the container", "stopped");
            engine.remove(record.dockerId);
            progress.done("Remove the container", "removed; the workspace stays");
        }
        // a retired container that waited for a GPU waits no more: the queue would grant it slots for nobody
        queue.endFor(containerId, actor, "container retired");
        int released = allocator.releaseContainer(containerId, actor, "container retired");
        progress.done("Release its GPUs", released == 0 ? "none held" : released + " slot(s) released");
        close(record, "retired");
        auditLog.record(actor, "container.retire", record.name, why.map(w -> w + "; ").orElse("") + "removed, "
                + released + " GPU slot(s) released");
        if (deleteImage) {
            progress.add(deleteImage(record, actor));
        }
        return new Outcome("retired", containerId, record.name, List.copyOf(progress.steps), record.name
                + " is retired; your files in ~/workspace/" + record.project + " stay.");
    }

    private Step deleteImage(ContainerRecord record, Actor actor) {
        String step = "Delete the image";
        String own = "ds01-" + record.name.substring(record.name.lastIndexOf("._.") + 3) + "/";
        if (!record.imageReference.startsWith(own)) {
            return new Step(step, "skipped", record.imageReference + " is a base image; it stays for everyone.");
        }
        boolean inUse = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.liveOf(record.ownerId).stream()
                .anyMatch(c -> c.imageReference.equals(record.imageReference)));
        if (inUse) {
            return new Step(step, "skipped", "another of your containers uses " + record.imageReference + ".");
        }
        try {
            engine.removeImage(record.imageReference);
        } catch (RuntimeException e) {
            return new Step(step, "failed", e.getMessage());
        }
        auditLog.record(actor, "image.delete", record.imageReference, "with the retire of " + record.name);
        return new Step(step, "done", record.imageReference + " deleted; its Dockerfile stays in your workspace.");
    }

    /** The owner's user name of a container record, for access checks. */
    public String ownerOf(ContainerRecord record) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select username from portal_user where id = ?1").setParameter(1, record.ownerId).getSingleResult());
    }

    /** @throws NoSuchContainerException when there is no live record with this id */
    public ContainerRecord live(long containerId) {
        ContainerRecord record = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(containerId));
        if (record == null || record.retiredAt != null) {
            throw new NoSuchContainerException(containerId);
        }
        return record;
    }

    private Duration graceOf(ContainerRecord record) {
        String owner = ownerOf(record);
        Set<String> groups = accounts.find(owner).map(a -> Set.copyOf(a.groups())).orElse(Set.of());
        return limits.forUser(owner, groups).get(LimitKey.SIGTERM_GRACE).value().bound().orElse(Duration.ofSeconds(60));
    }

    private void undo(ContainerRecord record, String dockerId, Progress progress, String reason) {
        if (dockerId != null) {
            try {
                engine.remove(dockerId);
                progress.add(new Step("Remove the half-made container", "undone", record.name + " removed"));
            } catch (RuntimeException e) {
                // the reconciler removes it later; say so rather than hide it
                LOG.errorf(e, "could not remove half-made container %s", record.name);
                progress.add(new Step("Remove the half-made container", "failed", e.getMessage()
                        + " The reconciler will remove it."));
            }
        }
        queue.endFor(record.id, Actor.system("deploy"), reason);
        int released = allocator.releaseContainer(record.id, Actor.system("deploy"), reason);
        if (released > 0) {
            progress.add(new Step("Release its GPUs", "undone", released + " slot(s) released"));
        }
        close(record, "failed");
    }

    private static void close(ContainerRecord record, String state) {
        QuarkusTransaction.requiringNew().run(() -> ContainerRecord.close(record.id, state));
    }

    /** Thrown for an id with no live container record; the web and the API answer 404. */
    public static final class NoSuchContainerException extends jakarta.ws.rs.NotFoundException {
        public NoSuchContainerException(long id) {
            super("There is no container " + id + " (it was retired, or never existed).");
        }
    }
}
