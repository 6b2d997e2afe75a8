package ds01.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Whether a running container is idle, and whether its idle timeout applies now: a pure function of one check's
 * inputs (this reading and the one before it, its GPU utilisation, proxied Jupyter traffic, the owner's
 * thresholds, grace period, keep-alive and exemption). Idle means CPU and network under their thresholds, no
 * Jupyter traffic through the portal and every readable GPU under its threshold, for {@code window} checks in a
 * row. The sweep reads the inputs, asks here, writes the streak back and acts on the verdict.
 */
public final class Idleness {

    private Idleness() {
    }

    /** The owner's thresholds: GPU and CPU in per cent, network in bytes between two readings, checks in a row. */
    public record Thresholds(double gpuPercent, double cpuPercent, long networkBytes, int window) {
    }

    /** What the container's clock kept from the check before: its counters (null before the first) and streak. */
    public record Earlier(OffsetDateTime sampledAt, Long cpuNanos, Long networkBytes, int idleChecks,
            OffsetDateTime idleSince) {

        public static Earlier none() {
            return new Earlier(null, null, null, 0, null);
        }
    }

    /**
     * The GPUs the container holds, by utilisation in per cent; empty for a MIG slice (they report none) or when
     * {@code problem} says nvidia-smi could not be read. {@code held} false: a CPU-only container.
     */
    public record Gpus(boolean held, List<OptionalInt> utilisation, Optional<String> problem) {

        public static Gpus none() {
            return new Gpus(false, List.of(), Optional.empty());
        }
    }

    /**
     * One check of one running container.
     *
     * @param now            the policy's clock (idle spells and grace are measured on it)
     * @param sampledAt      the real time of this reading (rates are measured on it)
     * @param counters       this reading; empty when the container's process could not be read
     * @param startedAt      when the container last started
     * @param lastActivityAt the last request the Jupyter proxy passed to it
     * @param idleTimeout    the owner's {@code idle_timeout}; empty: never stopped for idleness
     * @param grace          the owner's {@code grace_period} after a start
     * @param keepAliveUntil the owner's keep-alive, if pressed
     * @param exempt         an admin exempted the owner from the idle timeout
     */
    public record Check(Instant now, OffsetDateTime sampledAt, Optional<ContainerSignals.Counters> counters,
            Earlier earlier, OffsetDateTime startedAt, OffsetDateTime lastActivityAt, Gpus gpus, Thresholds thresholds,
            Optional<Duration> idleTimeout, Optional<Duration> grace, OffsetDateTime keepAliveUntil, boolean exempt) {
    }

    public enum Verdict {
        /** No rate yet: the first reading, the first since a restart, or the process could not be read. */
        NOT_MEASURED,
        /** A signal is over its threshold, or Jupyter was used through the portal. */
        BUSY,
        /** Idle, for fewer checks in a row than the detection window. */
        IDLE_TOO_SHORT,
        /** Idle long enough, but the owner's limits set no idle timeout. */
        NO_TIMEOUT,
        /** Idle long enough, but started within the grace period. */
        IN_GRACE,
        /** Idle long enough, but the owner pressed keep-alive. */
        KEPT_ALIVE,
        /** Idle long enough, but the owner is exempt from the idle timeout. */
        EXEMPT,
        /** Idle long enough, and the idle timeout applies: warn, then stop, counting from {@code idleSince}. */
        IDLE
    }

    /**
     * The verdict with its reason in words; {@code signals} the readings in words (kept on the clock, shown on the
     * pages); the streak to keep ({@code idleChecks}, {@code idleSince}); {@code streakBroken}: the idle warnings
     * sent so far no longer count; {@code restarted}: neither do the runtime warnings.
     */
    public record Decision(Verdict verdict, String reason, String signals, int idleChecks, OffsetDateTime idleSince,
            boolean streakBroken, boolean restarted) {

        public boolean idleTimeoutApplies() {
            return verdict == Verdict.IDLE;
        }
    }

    public static Decision decide(Check check) {
        Earlier earlier = check.earlier();
        Thresholds limits = check.thresholds();
        // started again since the last reading (by its owner, after a stop): its counters begin anew, and so do its
        // clocks; comparing with the old process would read as 0 % and stop it at once
        boolean restarted = earlier.sampledAt() != null && check.startedAt() != null
                && check.startedAt().isAfter(earlier.sampledAt());
        Optional<Double> cpu = Optional.empty();
        Optional<Long> network = Optional.empty();
        if (check.counters().isPresent() && earlier.sampledAt() != null && earlier.cpuNanos() != null && !restarted) {
            double wall = Duration.between(earlier.sampledAt(), check.sampledAt()).toNanos();
            if (wall > 0) {
                ContainerSignals.Counters now = check.counters().get();
                cpu = Optional.of(Math.max(0, now.cpuNanos() - earlier.cpuNanos()) / wall * 100);
                network = Optional.of(Math.max(0, now.networkBytes() - earlier.networkBytes()));
            }
        }
        boolean proxied = check.lastActivityAt() != null && earlier.sampledAt() != null
                && check.lastActivityAt().isAfter(earlier.sampledAt());
        List<OptionalInt> gpus = check.gpus().utilisation();
        boolean gpuKnown = !gpus.isEmpty() && gpus.stream().allMatch(OptionalInt::isPresent);

        List<String> busy = new ArrayList<>();
        cpu.filter(c -> c >= limits.cpuPercent()).ifPresent(c -> busy.add(String.format(Locale.ROOT,
                "CPU %.1f%% (idle under %.1f%%)", c, limits.cpuPercent())));
        network.filter(n -> n >= limits.networkBytes()).ifPresent(n -> busy.add("network " + n / 1024
                + " KiB (idle under " + limits.networkBytes() / 1024 + " KiB)"));
        if (proxied) {
            busy.add("Jupyter in use through the portal");
        }
        if (gpuKnown) {
            gpus.stream().mapToInt(OptionalInt::getAsInt).filter(u -> u >= limits.gpuPercent()).forEach(u -> busy.add(
                    String.format(Locale.ROOT, "GPU %d%% (idle under %.0f%%)", u, limits.gpuPercent())));
        }
        boolean idle = cpu.isPresent() && busy.isEmpty();
        String signals = signalWords(check.gpus(), gpuKnown, cpu, network, proxied);

        int idleChecks = earlier.idleChecks();
        OffsetDateTime idleSince = earlier.idleSince();
        boolean broken = restarted || (cpu.isPresent() && !idle);
        if (broken) {
            idleChecks = 0;
            idleSince = null;
        } else if (idle) {
            idleChecks++;
            if (idleSince == null) {
                idleSince = OffsetDateTime.ofInstant(check.now(), ZoneOffset.UTC);
            }
        }

        Verdict verdict;
        String reason;
        if (idleChecks < limits.window() || idleSince == null) {
            if (cpu.isEmpty()) {
                verdict = Verdict.NOT_MEASURED;
                reason = restarted ? "started again since the last reading; measured from the next check"
                        : check.counters().isEmpty() ? "its process could not be read"
                        : "no earlier reading to compare with";
            } else if (!idle) {
                verdict = Verdict.BUSY;
                reason = "busy: " + String.join(", ", busy);
            } else {
                verdict = Verdict.IDLE_TOO_SHORT;
                reason = "idle for " + idleChecks + " of " + limits.window() + " checks in a row";
            }
        } else if (check.idleTimeout().isEmpty()) {
            verdict = Verdict.NO_TIMEOUT;
            reason = "idle, and no idle_timeout applies";
        } else if (check.grace().isPresent() && check.startedAt() != null
                && check.startedAt().toInstant().plus(check.grace().get()).isAfter(check.now())) {
            verdict = Verdict.IN_GRACE;
            reason = "idle, but started less than grace_period ago";
        } else if (check.keepAliveUntil() != null && check.keepAliveUntil().toInstant().isAfter(check.now())) {
            verdict = Verdict.KEPT_ALIVE;
            reason = "idle, but kept alive until " + check.keepAliveUntil();
        } else if (check.exempt()) {
            verdict = Verdict.EXEMPT;
            reason = "idle, but its owner is exempt from the idle timeout";
        } else {
            verdict = Verdict.IDLE;
            reason = "idle since " + idleSince + " (" + idleChecks + " checks in a row)";
        }
        return new Decision(verdict, reason, signals, idleChecks, idleSince, broken, restarted);
    }

    private static String signalWords(Gpus held, boolean gpuKnown, Optional<Double> cpu, Optional<Long> network,
            boolean proxied) {
        String gpu = !held.held() ? "no GPU" : gpuKnown ? "GPU " + held.utilisation().stream()
                .map(u -> u.getAsInt() + "%").collect(Collectors.joining("/"))
                : held.problem().map(p -> "GPU not read (" + p + "; the other signals decide)")
                        .orElse("GPU unknown (MIG slices report no utilisation; the other signals decide)");
        return gpu + ", CPU " + cpu.map(c -> String.format(Locale.ROOT, "%.1f%%", c)).orElse("not measured yet")
                + ", network " + network.map(n -> n / 1024 + " KiB").orElse("not measured yet")
                + (proxied ? ", Jupyter in use" : ", no Jupyter traffic");
    }
}
