package ds01.lifecycle;

import ds01.identity.PortalUsers;
import ds01.containers.ContainerRecord;
import ds01.containers.ContainerRecords;
import ds01.events.Notifications;
import ds01.containers.ContainerActions;
import ds01.containers.ContainerState;
import ds01.database.Timestamps;
import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.Allocator;
import ds01.gpu.GpuUtilisation;
import ds01.gpu.InventoryService;
import ds01.limits.EffectiveLimits;
import ds01.limits.LimitKey;
import ds01.limits.UserLimits;
import ds01.web.TimeWords;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One pass of the lifecycle jobs over every container, each by its owner's effective limits: idle running
 * containers (GPU, CPU and network under their thresholds and no proxied Jupyter traffic, for the detection
 * window) are warned, then stopped at the idle timeout; containers past their maximum runtime likewise; stopped
 * containers past {@code container_hold_after_stop} and never-started ones past {@code created_container_timeout}
 * are removed (retired: workspaces are never touched). Held GPUs go back through the GPU hold sweep.
 *
 * <p>{@code now} is the policy's clock (tests move it); rates come from the real time between two readings.
 */
@ApplicationScoped
public class LifecycleSweep {

    private static final Logger LOG = Logger.getLogger(LifecycleSweep.class);

    /** What a sweep did: containers looked at and each action, in words. */
    public record Report(int checked, List<String> actions) {
    }

    /** What a sweep does to a container; {@code kind} tags {@code ds01_lifecycle_actions_total}. */
    enum Action {
        IDLE_WARNING("idle-warning"),
        IDLE_STOP("idle-stop"),
        RUNTIME_WARNING("runtime-warning"),
        RUNTIME_STOP("runtime-stop"),
        /** Stopped for longer than {@code container_hold_after_stop}. */
        REMOVE_STOPPED("remove-container-hold"),
        /** Created and never started, for longer than {@code created_container_timeout}. */
        REMOVE_NEVER_STARTED("remove-created-timeout");

        final String kind;

        Action(String kind) {
            this.kind = kind;
        }
    }

    /** A container as the sweep reads it. */
    record Row(long id, String name, String project, String dockerId, ContainerState state, OffsetDateTime createdAt,
            OffsetDateTime startedAt, OffsetDateTime stoppedAt, OffsetDateTime lastActivityAt, String owner,
            long ownerId) {
    }

    private final ContainerEngine engine;
    private final ContainerSignals signals;
    private final UserLimits userLimits;
    private final ContainerActions containers;
    private final Allocator allocator;
    private final InventoryService inventory;
    private final Notifications notifications;
    private final AuditLog auditLog;
    private final LifecycleConfig config;
    private final Exemptions exemptions;
    private final GpuUtilisation gpuUtilisation;
    private final MeterRegistry metrics;
    private final ContainerRecords containerRecords;
    private final PortalUsers users;

    public LifecycleSweep(ContainerEngine engine, ContainerSignals signals, UserLimits userLimits,
            ContainerActions containers, Allocator allocator, InventoryService inventory,
            Notifications notifications, AuditLog auditLog, LifecycleConfig config, Exemptions exemptions,
            GpuUtilisation gpuUtilisation, MeterRegistry metrics, ContainerRecords containerRecords, PortalUsers users) {
        this.users = users;
        this.containerRecords = containerRecords;
        this.metrics = metrics;
        this.exemptions = exemptions;
        this.gpuUtilisation = gpuUtilisation;
        this.engine = engine;
        this.signals = signals;
        this.userLimits = userLimits;
        this.containers = containers;
        this.allocator = allocator;
        this.inventory = inventory;
        this.notifications = notifications;
        this.auditLog = auditLog;
        this.config = config;
    }

    public Report sweep(Instant now) {
        List<Row> rows = rows();
        List<String> actions = new ArrayList<>();
        List<Allocator.Held> held = allocator.live(Optional.empty());
        // nvidia-smi is asked only when some container holds a GPU: a CPU-only server need not have it
        boolean gpusHeld = held.stream().anyMatch(h -> h.containerId() != null);
        GpuUtilisation.Reading utilisation = gpusHeld ? gpuUtilisation.read()
                : GpuUtilisation.Reading.unread("no GPU held");
        if (gpusHeld) {
            utilisation.problem().ifPresent(p -> LOG.warnf("GPU utilisation not read for the lifecycle sweep: %s", p));
        }
        // who is exempt from what, read once a sweep: "user/idle", "user/runtime"
        Set<String> exempt = exemptions.at(now);
        int slots = inventory.current().inventory().slots().size();
        double demand = slots == 0 ? 0 : held.stream().map(Allocator.Held::slotId).distinct().count() / (double) slots;
        for (Row row : rows) {
            try {
                switch (row.state()) {
                    case running -> running(row, now, held, utilisation, demand, exempt).ifPresent(actions::add);
                    case stopped -> removeAfterHold(row, now, LimitKey.CONTAINER_HOLD_AFTER_STOP, row.stoppedAt(),
                            Action.REMOVE_STOPPED, "container-hold", "stopped").ifPresent(actions::add);
                    case created -> removeAfterHold(row, now, LimitKey.CREATED_CONTAINER_TIMEOUT, row.createdAt(),
                            Action.REMOVE_NEVER_STARTED, "created-timeout", "created and never started")
                            .ifPresent(actions::add);
                    default -> {
                        // queued and creating containers are the deploy's business
                    }
                }
            } catch (RuntimeException e) {
                // one container's trouble (its owner's account gone, an engine error) must not spare the others
                LOG.errorf(e, "lifecycle check of %s failed", row.name());
                actions.add(row.name() + ": check failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return new Report(rows.size(), actions);
    }

    private List<Row> rows() {
        List<ContainerRecord> records = containerRecords.watched();
        Map<Long, String> owners = users.usernamesOf(records.stream().map(r -> r.ownerId).collect(Collectors.toSet()));
        return records.stream().map(r -> new Row(r.id, r.name, r.project, r.dockerId, r.state,
                r.createdAt, r.startedAt, r.stoppedAt, r.lastActivityAt, owners.get(r.ownerId), r.ownerId)).toList();
    }

    private Optional<String> removeAfterHold(Row row, Instant now, LimitKey<Duration> key, OffsetDateTime since,
            Action action, String policy, String what) {
        Optional<Duration> hold = userLimits.of(row.owner()).get(key).value().bound();
        if (hold.isEmpty() || since == null || since.toInstant().plus(hold.get()).isAfter(now)) {
            return Optional.empty();
        }
        String why = what + " since " + since.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime() + " UTC, longer than "
                + key.name() + " (" + TimeWords.of(hold.get()) + ")";
        containers.retire(row.id(), Actor.policy(policy));
        notify(row, "removed", row.name() + " was removed: " + why + ". Your files in ~/workspace/" + row.project()
                + " stay; deploy again from the launcher when you need it.");
        return acted(action, row.name() + ": removed (" + why + ")");
    }

    /** A running container's clock, read, compared with this check and written back, and what was decided. */
    private record Checked(ContainerClock clock, Idleness.Decision decision) {
    }

    private Optional<String> running(Row row, Instant now, List<Allocator.Held> held,
            GpuUtilisation.Reading utilisation, double demand, Set<String> exempt) {
        EffectiveLimits limits = userLimits.of(row.owner());
        Optional<ContainerSignals.Counters> counters = row.dockerId() == null ? Optional.empty()
                : engine.pid(row.dockerId()).flatMap(signals::read);
        OffsetDateTime sampled = OffsetDateTime.now();
        List<Allocator.Held> slots = held.stream().filter(h -> h.containerId() != null && h.containerId() == row.id())
                .toList();
        Idleness.Gpus gpus = new Idleness.Gpus(!slots.isEmpty(), slots.stream().map(h -> utilisation.of(h.slotUuid()))
                .toList(), utilisation.problem());
        Idleness.Thresholds thresholds = new Idleness.Thresholds(
                limits.get(LimitKey.GPU_IDLE_THRESHOLD).value().bound().orElse(5.0),
                limits.get(LimitKey.CPU_IDLE_THRESHOLD).value().bound().orElse(2.0),
                limits.get(LimitKey.NETWORK_IDLE_THRESHOLD).value().bound().orElse(1L << 20),
                limits.get(LimitKey.IDLE_DETECTION_WINDOW).value().bound().orElse(3));
        Optional<Duration> timeout = limits.get(LimitKey.IDLE_TIMEOUT).value().bound();
        Optional<Duration> grace = limits.get(LimitKey.GRACE_PERIOD).value().bound();
        boolean exemptFromIdle = exempt.contains(row.owner() + "/idle");

        // read the clock, decide against it, write it back: one transaction
        Checked checked = QuarkusTransaction.requiringNew().call(() -> {
            ContainerClock clock = ContainerClock.of(row.id());
            Idleness.Decision decision = Idleness.decide(new Idleness.Check(now, sampled, counters, clock.earlier(),
                    row.startedAt(), row.lastActivityAt(), gpus, thresholds, timeout, grace, clock.keepAliveUntil,
                    exemptFromIdle));
            clock.follow(decision, counters, sampled);
            return new Checked(clock, decision);
        });
        LOG.debugf("idle check of %s: %s (%s)", row.name(), checked.decision().verdict(), checked.decision().reason());

        String signalWords = checked.decision().signals();
        Optional<String> runtime = runtime(row, now, limits, checked.clock(), signalWords, exempt);
        if (runtime.isPresent() || !checked.decision().idleTimeoutApplies()) {
            return runtime;
        }
        return idleAction(row, now, limits, checked.clock(), timeout.orElseThrow(), demand, signalWords);
    }

    /** Idle for the window with the idle timeout applying: warn at its levels, then stop. */
    private Optional<String> idleAction(Row row, Instant now, EffectiveLimits limits, ContainerClock clock,
            Duration timeout, double demand, String signalWords) {
        Duration limit = timeout;
        String demandWords = "";
        Optional<Double> threshold = limits.get(LimitKey.HIGH_DEMAND_THRESHOLD).value().bound();
        Optional<Double> reduction = limits.get(LimitKey.HIGH_DEMAND_IDLE_REDUCTION).value().bound();
        if (threshold.isPresent() && reduction.isPresent() && demand >= threshold.get()) {
            limit = Duration.ofMillis(Math.round(limit.toMillis() * reduction.get()));
            demandWords = String.format(Locale.ROOT, " (cut to %s while %.0f%% of the GPUs are allocated)",
                    TimeWords.of(limit), demand * 100);
        }
        Duration idleFor = Duration.between(clock.idleSince.toInstant(), now);
        double fraction = idleFor.toMillis() / (double) limit.toMillis();
        if (stopDue(config.idleWarnings(), fraction, clock.idleWarned)) {
            String why = "idle for " + TimeWords.of(idleFor) + ": " + signalWords + "; idle_timeout "
                    + TimeWords.of(limit) + demandWords;
            containers.stop(row.id(), Actor.policy("idle-timeout"), why);
            notify(row, "stopped", row.name() + " was stopped: " + why + ". Your files stay; start it again from the "
                    + "launcher. Its GPU is held for you for a while (see the launcher), then freed for others.");
            return acted(Action.IDLE_STOP, row.name() + ": stopped, " + why);
        }
        OptionalInt due = dueWarning(config.idleWarnings(), fraction, clock.idleWarned);
        if (due.isPresent()) {
            int level = due.getAsInt();
            String message = row.name() + " has been idle for " + TimeWords.of(idleFor) + " (" + signalWords
                    + "). It will be stopped " + when(clock.idleSince.toInstant().plus(limit), now)
                    + ", to free its resources for others"
                    + demandWords + "; your files stay. To keep it: use it, or press Keep alive on the launcher. "
                    + "(Warning at " + level + " % of the idle timeout.)";
            QuarkusTransaction.requiringNew().run(() -> ContainerClock.<ContainerClock>findById(row.id()).idleWarned
                    = (short) level);
            notify(row, "idle-warning", message);
            auditLog.record(Actor.policy("idle-timeout"), "lifecycle.idle-warning", row.name(), level + "%: "
                    + signalWords);
            return acted(Action.IDLE_WARNING, row.name() + ": idle warning at " + level + "%");
        }
        return Optional.empty();
    }

    private Optional<String> runtime(Row row, Instant now, EffectiveLimits limits, ContainerClock clock,
            String signalWords, Set<String> exempt) {
        Optional<Duration> max = limits.get(LimitKey.MAX_RUNTIME).value().bound();
        if (max.isEmpty() || row.startedAt() == null || exempt.contains(row.owner() + "/runtime")) {
            return Optional.empty();
        }
        Duration limit = max.get().plusSeconds(clock.runtimeExtensionSeconds);
        Duration ran = Duration.between(row.startedAt().toInstant(), now);
        double fraction = ran.toMillis() / (double) limit.toMillis();
        if (stopDue(config.runtimeWarnings(), fraction, clock.runtimeWarned)) {
            String why = "running for " + TimeWords.of(ran) + ", longer than max_runtime " + TimeWords.of(limit)
                    + " (last signals: " + signalWords + ")";
            containers.stop(row.id(), Actor.policy("max-runtime"), why);
            notify(row, "stopped", row.name() + " was stopped: " + why + ". Your files stay; start it again from the "
                    + "launcher if you still need it.");
            return acted(Action.RUNTIME_STOP, row.name() + ": stopped, " + why);
        }
        OptionalInt due = dueWarning(config.runtimeWarnings(), fraction, clock.runtimeWarned);
        if (due.isPresent()) {
            int level = due.getAsInt();
            QuarkusTransaction.requiringNew().run(() -> ContainerClock.<ContainerClock>findById(row.id())
                    .runtimeWarned = (short) level);
            notify(row, "runtime-warning", row.name() + " has run for " + TimeWords.of(ran) + " of its "
                    + TimeWords.of(limit) + " (max_runtime). It will be stopped "
                    + when(row.startedAt().toInstant().plus(limit), now) + "; save your work (checkpoints in /workspace stay), or extend its runtime on the launcher. "
                    + "(Warning at " + level + " % of the maximum runtime.)");
            auditLog.record(Actor.policy("max-runtime"), "lifecycle.runtime-warning", row.name(), level + "%");
            return acted(Action.RUNTIME_WARNING, row.name() + ": runtime warning at " + level + "%");
        }
        return Optional.empty();
    }

    /** An action taken, counted by kind for {@code ds01_lifecycle_actions_total}. */
    private Optional<String> acted(Action action, String words) {
        metrics.counter("ds01.lifecycle.actions", "kind", action.kind).increment();
        return Optional.of(words);
    }

    /**
     * The highest warning level (per cent) reached and not yet sent, if any: each level is sent once. Past the
     * limit with none sent (the portal was down, or the idle timeout was just cut under high demand), the last
     * level goes out now, since a container is never stopped unwarned.
     */
    static OptionalInt dueWarning(List<Integer> levels, double fraction, short sent) {
        if (fraction >= 1 && sent == 0) {
            return levels.stream().mapToInt(Integer::intValue).max();
        }
        return levels.stream().mapToInt(Integer::intValue).filter(level -> fraction * 100 >= level && sent < level)
                .max();
    }

    /** Past the limit, and warned at least once (unless the site configured no warnings). */
    static boolean stopDue(List<Integer> levels, double fraction, short sent) {
        return fraction >= 1 && (sent > 0 || levels.isEmpty());
    }

    /** When a warned stop comes: its time, or, where that has passed unwarned, the next sweep. */
    private String when(Instant due, Instant now) {
        if (due.isAfter(now)) {
            return "in " + TimeWords.of(Duration.between(now, due)) + ", at "
                    + due.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        }
        return "at the next check" + (config.interval().equals("off") ? "" : " (they run every " + config.interval() + ")");
    }

    private void notify(Row row, String kind, String message) {
        notifications.tell(row.owner(), row.ownerId(), row.id(), row.project(), kind, message);
    }
}
