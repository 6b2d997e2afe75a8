package ds01.lifecycle;

import ds01.nodes.OnNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Where a running container stands with the lifecycle jobs: its last counters, since when it has been idle, which
 * warnings it has had, its keep-alive and runtime extension. In the database, so a portal restart neither resets
 * a clock nor sends a warning twice.
 */
@Entity
@Table(name = "container_clock")
public class ContainerClock extends OnNode {

    @Id
    @Column(name = "container_id")
    public Long containerId;

    @Column(name = "sampled_at")
    public OffsetDateTime sampledAt;

    @Column(name = "cpu_ns")
    public Long cpuNanos;

    @Column(name = "net_bytes")
    public Long networkBytes;

    @Column(name = "idle_checks", nullable = false)
    public int idleChecks;

    @Column(name = "idle_since")
    public OffsetDateTime idleSince;

    @Column(name = "last_signals", length = 400)
    public String lastSignals;

    /** The highest idle warning sent in this idle spell: 0, 80 or 95 (per cent of the timeout). */
    @Column(name = "idle_warned", nullable = false)
    public short idleWarned;

    /** The highest runtime warning sent: 0, 75 or 90. */
    @Column(name = "runtime_warned", nullable = false)
    public short runtimeWarned;

    @Column(name = "keep_alive_until")
    public OffsetDateTime keepAliveUntil;

    @Column(name = "runtime_extension_s", nullable = false)
    public long runtimeExtensionSeconds;


    /** What the next idle check compares with. */
    Idleness.Earlier earlier() {
        return new Idleness.Earlier(sampledAt, cpuNanos, networkBytes, idleChecks, idleSince);
    }

    /** Keeps this check's reading and the idle streak the decision left, in the caller's transaction. */
    void follow(Idleness.Decision decision, Optional<ContainerSignals.Counters> counters, OffsetDateTime sampled) {
        counters.ifPresent(k -> {
            cpuNanos = k.cpuNanos();
            networkBytes = k.networkBytes();
            sampledAt = sampled;
        });
        lastSignals = decision.signals().length() > 400 ? decision.signals().substring(0, 400) : decision.signals();
        idleChecks = decision.idleChecks();
        idleSince = decision.idleSince();
        if (decision.streakBroken()) {
            idleWarned = 0;
        }
        if (decision.restarted()) {
            runtimeWarned = 0;
        }
    }

    /** The clock of a container, made at its first check. */
    public static ContainerClock of(long containerId) {
        ContainerClock clock = findById(containerId);
        if (clock == null) {
            clock = new ContainerClock();
            clock.containerId = containerId;
            clock.persist();
        }
        return clock;
    }
}
