package ds01.containers;

import ds01.identity.PortalUsers;
import ds01.engine.AimeLabels;
import ds01.engine.ContainerEngine;
import ds01.engine.EngineContainer;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.Allocator;
import ds01.gpu.GpuHolds;
import ds01.gpu.GpuQueue;
import ds01.gpu.InventoryService;
import ds01.gpu.Slot;
import ds01.identity.HostAccounts;
import ds01.limits.LimitKey;
import ds01.limits.LimitsService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is done to a deployed container: stop (its GPUs held for a while), start again, restart, retire (stop, remove,
 * release its GPUs; the workspace stays, invariant 3). By its owner, an admin or a policy; each writes its audit
 * event.
 */
@ApplicationScoped
public class ContainerActions {

    private final ContainerEngine engine;
    private final GpuQueue queue;
    private final GpuHolds holds;
    private final Allocator allocator;
    private final InventoryService inventory;
    private final HostAccounts accounts;
    private final LimitsService limits;
    private final AuditLog auditLog;
    private final OwnImages ownImages;
    private final PortalUsers users;

    public ContainerActions(ContainerEngine engine, GpuQueue queue, GpuHolds holds,
            Allocator allocator, InventoryService inventory, HostAccounts accounts, LimitsService limits,
            AuditLog auditLog, OwnImages ownImages, PortalUsers users) {
        this.users = users;
        this.engine = engine;
        this.queue = queue;
        this.holds = holds;
        this.allocator = allocator;
        this.inventory = inventory;
        this.accounts = accounts;
        this.limits = limits;
        this.auditLog = auditLog;
        this.ownImages = ownImages;
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
        return progress.outcome(Outcome.Result.stopped, containerId, record.name, record.name + " is stopped.");
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
        return progress.outcome(Outcome.Result.running, containerId, record.name, record.name + " is running.");
    }

    /** Stop and start again at once: its GPUs stay its own, no hold begins. */
    public Outcome restart(long containerId, Actor actor) {
        ContainerRecord record = live(containerId);
        if (record.dockerId == null || record.state != ContainerState.running) {
            return new Progress().refuse("Restart", record.name + " is " + record.state + ", not running; start it instead.");
        }
        engine.stop(record.dockerId, graceOf(record));
        engine.start(record.dockerId);
        QuarkusTransaction.requiringNew().run(() -> {
            ContainerRecord.markRunning(containerId);
            auditLog.record(actor, "container.restart", record.name, "stopped and started again");
        });
        return new Outcome(Outcome.Result.running, containerId, record.name,
                List.of(new Step("Restart", StepState.done, "running")), record.name + " was restarted.");
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
        ContainerRecord.closeAlone(containerId, ContainerState.retired);
        auditLog.record(actor, "container.retire", record.name, why.map(w -> w + "; ").orElse("") + "removed, "
                + released + " GPU slot(s) released");
        if (deleteImage) {
            progress.add(ownImages.deleteWith(record, actor));
        }
        return progress.outcome(Outcome.Result.retired, containerId, record.name, record.name
                + " is retired; your files in ~/workspace/" + record.project + " stay.");
    }

    /** The owner's user name of a container record, for access checks. */
    public String ownerOf(ContainerRecord record) {
        return users.usernameOf(record.ownerId);
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
}
