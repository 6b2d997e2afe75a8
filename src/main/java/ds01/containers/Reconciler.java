package ds01.containers;

import ds01.identity.PortalUsers;
import ds01.engine.AimeLabels;
import ds01.engine.ContainerEngine;
import ds01.engine.EngineContainer;
import ds01.engine.EngineException;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.Allocator;
import ds01.gpu.GpuHolds;
import ds01.gpu.GpuQueue;
import ds01.gpu.InventoryService;
import ds01.gpu.Slot;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.web.StartPass;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Docker is the truth for which containers exist, PostgreSQL for allocations and history (invariant 5). At
 * start and every minute this converges the two: a container removed behind the portal's back closes its record
 * and releases its slots; a deploy the portal died in is undone; a record's state follows the engine's; a
 * DS01 or AIME container the portal does not know is adopted (with the GPU slots its labels name). Every
 * correction is an audit event; a second run right after changes nothing.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** A deploy still in its steps this long after it began is one the portal died in (images are local: seconds). */
    static final Duration DEPLOY_GIVEN_UP = Duration.ofMinutes(5);
    private static final Actor ACTOR = Actor.system("reconciler");

    /** What one run corrected, one line each, for the log, the admin page and tests. */
    public record Report(List<String> corrections) {
    }

    private final ContainerEngine engine;
    private final EntityManager em;
    private final Allocator allocator;
    private final GpuHolds holds;
    private final InventoryService inventory;
    private final HostAccounts accounts;
    private final AuditLog auditLog;
    private final ContainersConfig config;
    private final GpuQueue queue;
    private final StartPass startPass;
    private final PortalUsers users;
    private final ContainerRecords records;

    public Reconciler(ContainerEngine engine, EntityManager em, Allocator allocator, GpuHolds holds,
            InventoryService inventory, HostAccounts accounts, AuditLog auditLog, ContainersConfig config,
            GpuQueue queue, StartPass startPass, PortalUsers users, ContainerRecords records) {
        this.records = records;
        this.users = users;
        this.config = config;
        this.queue = queue;
        this.startPass = startPass;
        this.engine = engine;
        this.em = em;
        this.allocator = allocator;
        this.holds = holds;
        this.inventory = inventory;
        this.accounts = accounts;
        this.auditLog = auditLog;
    }

    void atStart(@Observes StartupEvent start) {
        try {
            if (!config.reconcileAtStart()) {
                return;
            }
            Report report = reconcile(true);
            LOG.infof("reconciled at start: %d correction(s)", report.corrections().size());
        } catch (EngineException e) {
            LOG.warnf("not reconciled at start, the engine did not answer: %s", e.getMessage());
        } finally {
            // the scheduler started its jobs before this observer ran; those that change containers or slots
            // have skipped their runs until now
            startPass.done();
        }
    }

    @Scheduled(identity = "container-reconciler", every = "${ds01.containers.reconcile:60s}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StartPass.class)
    void everyMinute() {
        try {
            reconcile(false);
        } catch (EngineException e) {
            // without the engine's word nothing may be released; the health check shows the engine down
            LOG.warnf("not reconciled, the engine did not answer: %s", e.getMessage());
        }
    }

    /**
     * One pass. {@code atStart}: the portal just started, so no deploy of this process is under way and every
     * unfinished one is undone; later passes leave deploys younger than {@link #DEPLOY_GIVEN_UP} alone.
     *
     * @throws EngineException when the engine cannot be listed: then nothing is changed
     */
    public synchronized Report reconcile(boolean atStart) {
        return reconcile(atStart, engine.managed());
    }

    /**
     * One pass over {@code onEngine}, the engine's containers listed before the records are read. A deploy, stop or
     * start may finish between the two reads, so where the list disagrees with a record the engine is asked again
     * about that one container and only its answer now is followed (package-private: tests hand in a stale list).
     */
    synchronized Report reconcile(boolean atStart, List<EngineContainer> onEngine) {
        Map<String, EngineContainer> byName = onEngine.stream()
                .collect(Collectors.toMap(EngineContainer::name, Function.identity(), (a, b) -> a));
        List<String> corrections = new ArrayList<>();
        List<ContainerRecord> records = QuarkusTransaction.requiringNew().call(ContainerRecord::allLive);
        OffsetDateTime givenUp = OffsetDateTime.now().minus(DEPLOY_GIVEN_UP);
        for (ContainerRecord record : records) {
            EngineContainer found = byName.get(record.name);
            switch (record.state) {
                case queued -> queued(record, atStart, corrections);
                case creating, created -> {
                    // a deploy between its steps: undone once it is clearly not running any more
                    if (atStart || record.createdAt.isBefore(givenUp)) {
                        if (found != null) {
                            engine.remove(found.id());
                        }
                        // killed after its request joined the queue and before the record said so: it waits no more
                        queue.endFor(record.id, ACTOR, "the deploy did not finish");
                        int released = allocator.releaseContainer(record.id, ACTOR, "the deploy did not finish");
                        close(record, ContainerState.failed);
                        corrections.add(correct("container.deploy-undone", record.name, "the deploy did not finish"
                                + (found != null ? "; the half-made container was removed" : "") + ", " + released
                                + " GPU slot(s) released"));
                    }
                }
                default -> {
                    if (found == null || found.running() != (record.state == ContainerState.running)) {
                        // listed before this record was read: a deploy may have made or started it since
                        found = engine.find(record.name).orElse(null);
                    }
                    if (found == null) {
                        int released = allocator.releaseContainer(record.id, ACTOR, "the container was removed outside "
                                + "the portal");
                        close(record, ContainerState.missing);
                        corrections.add(correct("container.vanished", record.name, "removed outside the portal; "
                                + released + " GPU slot(s) released"));
                    } else {
                        follow(record, found, corrections);
                    }
                }
            }
        }
        Set<String> known = records.stream().map(r -> r.name).collect(Collectors.toSet());
        for (EngineContainer container : onEngine) {
            if (!known.contains(container.name())) {
                // unless it was retired (removed) since it was listed
                engine.find(container.name()).ifPresent(now -> adopt(now, corrections));
            }
        }
        releaseOrphanAllocations(corrections);
        if (!corrections.isEmpty()) {
            LOG.infof("reconciler: %s", String.join("; ", corrections));
        }
        return new Report(List.copyOf(corrections));
    }

    /**
     * A deploy waiting for a GPU has no engine container and holds no slot while its request waits. Once the queue
     * grants it, this process makes its container (holding the slots, then with the container on the engine, the
     * record still queued until the container is made); at start none of that is under way, so a granted one is a
     * deploy the portal died in and is undone. One whose request ended without a grant (expired, cancelled,
     * refused) has nothing left to continue it, at any pass.
     */
    private void queued(ContainerRecord record, boolean atStart, List<String> corrections) {
        // in this order: a grant ends the wait and takes the slots in one transaction
        if (queue.waitingFor(record.id)) {
            return;
        }
        boolean holding = allocator.live(Optional.empty()).stream().anyMatch(h -> Long.valueOf(record.id)
                .equals(h.containerId()));
        if (holding && !atStart) {
            return;
        }
        // afresh: a release earlier in this pass may have let the queue serve it, and make its container, already
        ContainerRecord now = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(record.id));
        if (now == null || now.retiredAt != null || now.state != ContainerState.queued) {
            return;
        }
        Optional<EngineContainer> found = engine.find(record.name);
        if (found.isPresent()) {
            engine.remove(found.get().id());
        }
        String why = holding ? "the deploy from the GPU queue did not finish" : "its GPU request ended without a grant";
        int released = allocator.releaseContainer(record.id, ACTOR, why);
        close(record, ContainerState.failed);
        corrections.add(correct("container.deploy-undone", record.name, why + (found.isPresent() ? "; the half-made "
                + "container was removed" : "") + ", " + released + " GPU slot(s) released"));
    }

    /** The record's state follows the engine's: a container stopped or started behind the portal's back. */
    private void follow(ContainerRecord record, EngineContainer found, List<String> corrections) {
        boolean running = found.running();
        if (running && record.state != ContainerState.running) {
            QuarkusTransaction.requiringNew().run(() -> ContainerRecord.markRunning(record.id));
            holds.containerStarted(record.id, ACTOR);
            corrections.add(correct("container.state", record.name, record.state + " -> running (started outside the portal)"));
        } else if (!running && record.state == ContainerState.running) {
            QuarkusTransaction.requiringNew().run(() -> ContainerRecord.markStopped(record.id));
            holds.containerStopped(record.id, ACTOR);
            corrections.add(correct("container.state", record.name, "running -> stopped (" + found.state()
                    + " on the engine)"));
        }
        if (record.dockerId == null || !record.dockerId.equals(found.id())) {
            QuarkusTransaction.requiringNew().run(() -> ContainerRecord.setDockerId(record.id, found.id()));
        }
    }

    /** A DS01 or AIME container the portal has no record of: its owner from the labels, or the uid in its name. */
    private void adopt(EngineContainer container, List<String> corrections) {
        Map<String, String> labels = container.labels();
        Optional<Map.Entry<String, Integer>> parsed = AimeLabels.parseName(container.name());
        String username = Optional.ofNullable(labels.get(AimeLabels.USER))
                .or(() -> Optional.ofNullable(labels.get(AimeLabels.AIME_USER))).orElse(null);
        Optional<HostAccount> owner = username == null ? Optional.empty() : accounts.find(username);
        if (owner.isEmpty() || parsed.isEmpty() || owner.get().uid() != parsed.get().getValue()) {
            LOG.warnf("container %s has DS01/AIME labels but no owner the host knows (user %s, name %s); left alone",
                    container.name(), username, container.name());
            return;
        }
        HostAccount account = owner.get();
        String project = parsed.get().getKey();
        // "created" is kept for deploys between their steps; an adopted container that never ran counts as stopped
        ContainerState state = container.running() ? ContainerState.running : ContainerState.stopped;
        String createdBy = Optional.ofNullable(labels.get(AimeLabels.CREATED_BY))
                .filter(Set.of("web", "api", "policy")::contains).orElse("policy");
        List<Slot> machine = inventory.current().inventory().slots();
        Map<String, Slot> inventorySlots = machine.stream().collect(Collectors.toMap(Slot::id, Function.identity()));
        List<String> slots = labelledSlots(labels, machine);
        String gpusLabel = labels.getOrDefault(AimeLabels.AIME_GPUS, "");
        boolean allGpus = !labels.containsKey(AimeLabels.GPU_SLOTS) && gpusLabel.strip().equalsIgnoreCase("all");
        List<String> claimed = new ArrayList<>();
        // the engine's list carries no start time; only an inspect does, needed once, for the adopted ones
        OffsetDateTime startedAt = engine.find(container.id()).flatMap(EngineContainer::startedAt)
                .map(t -> t.atOffset(java.time.ZoneOffset.UTC)).orElse(null);
        QuarkusTransaction.requiringNew().run(() -> {
            long ownerId = users.recordOf(account);
            ContainerRecord record = new ContainerRecord();
            record.ownerId = ownerId;
            record.project = project;
            record.name = container.name();
            record.dockerId = container.id();
            record.imageReference = container.image();
            record.state = state;
            record.createdBy = createdBy;
            record.startedAt = startedAt;
            record.persist();
            em.flush();
            // a slot may be someone else's by now: the first holder keeps it
            claimed.addAll(allocator.adopt(ownerId, record.id, slots.stream().map(inventorySlots::get)
                    .filter(Objects::nonNull).toList()));
            auditLog.record(ACTOR, "container.adopt", container.name(), "owner " + account.username() + ", " + state
                    + (claimed.isEmpty() ? "" : ", GPU slot(s) " + String.join(",", claimed))
                    + (allGpus ? "; made with aime.mlc.GPUS=all, it can use every GPU and holds none: retire it and "
                    + "deploy again through the portal" : ""));
        });
        corrections.add("container.adopt " + container.name() + ": owner " + account.username());
    }

    /**
     * The slots a container's labels name. The portal's own containers carry {@code ds01.gpu.slots}; containers made
     * by AIME's {@code mlc create} or DS01's scripts carry {@code aime.mlc.GPUS} as Docker's --gpus took it:
     * {@code device=0,1} (indexes), {@code 0:1} (GPU 0, MIG device 1), GPU or MIG UUIDs, or {@code all}, which
     * names no slot in particular. Names the machine does not have are left out.
     */
    static List<String> labelledSlots(Map<String, String> labels, List<Slot> machine) {
        String own = labels.get(AimeLabels.GPU_SLOTS);
        if (own != null) {
            return List.of(own.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        // docker's --gpus '"device=0,1"' keeps its quotes when a script passed them on
        String aime = labels.getOrDefault(AimeLabels.AIME_GPUS, "").replace("\"", "").strip();
        if (aime.startsWith("device=")) {
            aime = aime.substring("device=".length());
        }
        List<String> slots = new ArrayList<>();
        for (String device : aime.split(",")) {
            String d = device.strip();
            String slotId = d.matches("\\d+") ? d : d.matches("\\d+:\\d+") ? d.replace(':', '.') : null;
            machine.stream().filter(slot -> slot.id().equals(slotId) || slot.uuid().equals(d)).map(Slot::id)
                    .findFirst().filter(id -> !slots.contains(id)).ifPresent(slots::add);
        }
        return slots;
    }

    /**
     * Waiting GPU requests whose container record is closed end, and live allocations whose container record is
     * closed (retired, failed, missing) are released.
     */
    private void releaseOrphanAllocations(List<String> corrections) {
        for (Map.Entry<Long, String> closed : new TreeMap<>(records.closedAmong(queue.waitingContainers())).entrySet()) {
            int ended = queue.endFor(closed.getKey(), ACTOR, "its container is closed");
            corrections.add("gpu.queue-cancel " + closed.getValue() + ": " + ended
                    + " waiting request(s) of a closed container");
        }
        for (Map.Entry<Long, String> closed : new TreeMap<>(records.closedAmong(allocator.holdingContainers())).entrySet()) {
            int released = allocator.releaseContainer(closed.getKey(), ACTOR, "its container is gone");
            corrections.add("gpu.release " + closed.getValue() + ": " + released + " slot(s) of a closed container");
        }
    }

    private String correct(String action, String target, String detail) {
        auditLog.record(ACTOR, action, target, detail);
        return action + " " + target + ": " + detail;
    }

    private static void close(ContainerRecord record, ContainerState state) {
        ContainerRecord.closeAlone(record.id, state);
    }
}
