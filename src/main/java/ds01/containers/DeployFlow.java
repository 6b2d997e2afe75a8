package ds01.containers;

import ds01.identity.PortalUsers;
import ds01.engine.AimeLabels;
import ds01.engine.ContainerEngine;
import ds01.engine.ContainerSpec;
import ds01.engine.MachineFit;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.AllocationRequest;
import ds01.gpu.AllocationResult;
import ds01.gpu.Allocator;
import ds01.gpu.GpuQueue;
import ds01.gpu.Slot;
import ds01.identity.HostAccount;
import ds01.limits.EffectiveLimits;
import ds01.limits.LimitsService;
import ds01.projects.ProjectName;
import ds01.projects.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A deploy, in named steps: check the project and image, record the container within the owner's count limit,
 * allocate GPUs (or join the GPU queue), prepare the workspace, create the container, start it. If a step fails,
 * what the steps before it did is undone (the half-made container removed, slots released, the record closed as
 * failed) and the outcome says which step failed and why. The portal owns every container operation, so limits
 * hold for everyone; workspaces are never deleted (invariant 3).
 */
@ApplicationScoped
public class DeployFlow {

    private static final Logger LOG = Logger.getLogger(DeployFlow.class);

    /** GPUs for a deploy: {@code count} 0 is CPU-only. */
    public record GpuChoice(int count, boolean wholeGpu, Optional<String> profile) {

        public static GpuChoice none() {
            return new GpuChoice(0, false, Optional.empty());
        }
    }

    public record DeployRequest(HostAccount account, String project, String image, GpuChoice gpus, String createdBy) {
    }

    static final String ALLOCATE = "Allocate GPUs";

    private final ContainerEngine engine;
    private final ImagePolicy images;
    private final Workspaces workspaces;
    private final LimitsService limits;
    private final GpuQueue queue;
    private final Allocator allocator;
    private final AuditLog auditLog;
    private final ContainersConfig config;
    private final SiteMounts siteMounts;
    private final MeterRegistry metrics;
    private final PortalUsers users;

    public DeployFlow(ContainerEngine engine, ImagePolicy images, Workspaces workspaces,
            LimitsService limits, GpuQueue queue, Allocator allocator, AuditLog auditLog, ContainersConfig config,
            SiteMounts siteMounts, MeterRegistry metrics, PortalUsers users) {
        this.users = users;
        this.engine = engine;
        this.images = images;
        this.workspaces = workspaces;
        this.limits = limits;
        this.queue = queue;
        this.allocator = allocator;
        this.auditLog = auditLog;
        this.config = config;
        this.siteMounts = siteMounts;
        this.metrics = metrics;
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
        Outcome outcome = deploySteps(request, new Progress(watcher));
        Timer.builder("ds01.deploy.duration").description("Time from a deploy request to its outcome")
                .tag("result", outcome.result().name())
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5))
                .register(metrics)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return outcome;
    }

    private Outcome deploySteps(DeployRequest request, Progress progress) {
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
        if (request.gpus().count() > 0) {
            AllocationResult result = queue.request(new AllocationRequest(account.username(), Set.copyOf(account.groups()),
                    record.id, request.gpus().count(), request.gpus().wholeGpu(), request.gpus().profile()));
            if (result instanceof AllocationResult.Refused refused) {
                ContainerRecord.closeFailedAt(record.id, ALLOCATE);
                progress.add(ALLOCATE, StepState.failed, refused.message());
                return progress.outcome(Outcome.Result.refused, null, name, refused.message());
            }
            if (result instanceof AllocationResult.Queued queued) {
                QuarkusTransaction.requiringNew().run(() -> ContainerRecord.markQueued(record.id));
                progress.add(ALLOCATE, StepState.waiting, queued.message());
                auditLog.record(Actor.user(account.username()), "container.queue", name, "waits for a GPU at position "
                        + queued.position());
                return progress.outcome(Outcome.Result.queued, record.id, name, queued.message());
            }
            slots = ((AllocationResult.Granted) result).slots();
            progress.done(ALLOCATE, slots.stream().map(s -> s.id() + " (" + s.profile().orElse("whole GPU") + ")")
                    .collect(Collectors.joining(", ")));
        } else {
            progress.add(ALLOCATE, StepState.skipped, "CPU-only, as asked");
        }
        return build(record, account, request.image(), slots, limit, progress, Actor.user(account.username()));
    }

    /** A queued deploy got its GPUs from the queue: make and start its container now, on behalf of the queue. */
    Outcome resume(ContainerRecord record, HostAccount account, List<Slot> granted) {
        EffectiveLimits limit = limits.forUser(account.username(), Set.copyOf(account.groups()));
        Progress progress = new Progress();
        progress.done(ALLOCATE, "from the queue: " + granted.stream().map(Slot::id).collect(Collectors.joining(", ")));
        return build(record, account, record.imageReference, granted, limit, progress, Actor.policy("gpu-queue"));
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
            return progress.outcome(Outcome.Result.running, record.id, record.name, record.name + " is running.");
        } catch (RuntimeException e) {
            String why = e.getMessage();
            LOG.warnf("deploy of %s failed at \"%s\": %s", record.name, step, why);
            progress.add(step, StepState.failed, why);
            undo(record, dockerId, progress, step);
            auditLog.record(actor, "container.deploy-failed", record.name, step + ": " + why);
            return progress.outcome(Outcome.Result.failed, record.id, record.name, "Step \"" + step + "\" failed: "
                    + why + " Everything before it was undone; your workspace files are untouched.");
        }
    }

    /** Takes back what the steps before a failed one did: the half-made container, the GPUs, the record. */
    private void undo(ContainerRecord record, String dockerId, Progress progress, String failedStep) {
        String reason = failedStep + " failed";
        if (dockerId != null) {
            try {
                engine.remove(dockerId);
                progress.add("Remove the half-made container", StepState.undone, record.name + " removed");
            } catch (RuntimeException e) {
                // the reconciler removes it later; say so rather than hide it
                LOG.errorf(e, "could not remove half-made container %s", record.name);
                progress.add("Remove the half-made container", StepState.failed, e.getMessage()
                        + " The reconciler will remove it.");
            }
        }
        queue.endFor(record.id, Actor.system("deploy"), reason);
        int released = allocator.releaseContainer(record.id, Actor.system("deploy"), reason);
        if (released > 0) {
            progress.add("Release its GPUs", StepState.undone, released + " slot(s) released");
        }
        ContainerRecord.closeFailedAt(record.id, failedStep);
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
        OptionalLong owner = users.lockForLimitCheck(request.account().username());
        if (owner.isEmpty()) {
            return request.account().username() + " has never signed in to the portal.";
        }
        long ownerId = owner.getAsLong();
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
        record.state = ContainerState.creating;
        record.createdBy = request.createdBy();
        record.persist();
        return record;
    }
}
