package ds01.lifecycle;

import ds01.lifecycle.Idleness.Verdict;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle decision on its own, one row per rule: CPU, network, GPU utilisation, proxied Jupyter traffic, checks in a
 * row, grace period, keep-alive, exemption. Each row starts from a container that is idle on every signal, on its
 * third quiet check of three, an hour and a half after it started, and changes one thing.
 */
class IdlenessTest {

    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 2, 12, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime LAST = NOW.minusSeconds(60);
    static final long CPU_BEFORE = 500_000_000_000L;
    static final long NET_BEFORE = 7_000_000L;

    /** One check, built from the idle container described above; each {@code with} changes one input. */
    record Given(long cpuNanosSince, long bytesSince, boolean readable, Idleness.Earlier earlier, OffsetDateTime startedAt,
            OffsetDateTime lastActivityAt, Idleness.Gpus gpus, int window, Optional<Duration> timeout,
            Optional<Duration> grace, OffsetDateTime keepAliveUntil, boolean exempt) {

        static Given idle() {
            return new Given(cpuPercent(0.5), 10 * 1024, true, new Idleness.Earlier(LAST, CPU_BEFORE, NET_BEFORE, 2,
                    NOW.minusMinutes(2)), NOW.minusMinutes(90), null, Idleness.Gpus.none(), 3,
                    Optional.of(Duration.ofHours(1)), Optional.of(Duration.ofMinutes(30)), null, false);
        }

        /** CPU nanoseconds used in the minute between the two readings, for {@code percent} of one core. */
        static long cpuPercent(double percent) {
            return (long) (60_000_000_000L * percent / 100);
        }

        Given cpu(double percent) {
            return new Given(cpuPercent(percent), bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, window,
                    timeout, grace, keepAliveUntil, exempt);
        }

        Given network(long bytes) {
            return new Given(cpuNanosSince, bytes, readable, earlier, startedAt, lastActivityAt, gpus, window, timeout,
                    grace, keepAliveUntil, exempt);
        }

        Given unreadable() {
            return new Given(cpuNanosSince, bytesSince, false, earlier, startedAt, lastActivityAt, gpus, window, timeout,
                    grace, keepAliveUntil, exempt);
        }

        Given earlier(Idleness.Earlier value) {
            return new Given(cpuNanosSince, bytesSince, readable, value, startedAt, lastActivityAt, gpus, window, timeout,
                    grace, keepAliveUntil, exempt);
        }

        Given streak(int checks) {
            return earlier(new Idleness.Earlier(LAST, CPU_BEFORE, NET_BEFORE, checks, checks == 0 ? null
                    : NOW.minusMinutes(checks)));
        }

        Given started(OffsetDateTime value) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, value, lastActivityAt, gpus, window, timeout,
                    grace, keepAliveUntil, exempt);
        }

        Given jupyterUsed(OffsetDateTime value) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, value, gpus, window, timeout,
                    grace, keepAliveUntil, exempt);
        }

        Given gpus(Idleness.Gpus value) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, value, window,
                    timeout, grace, keepAliveUntil, exempt);
        }

        Given window(int checks) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, checks,
                    timeout, grace, keepAliveUntil, exempt);
        }

        Given timeout(Optional<Duration> value) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, window,
                    value, grace, keepAliveUntil, exempt);
        }

        Given grace(Optional<Duration> value) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, window,
                    timeout, value, keepAliveUntil, exempt);
        }

        Given keepAlive(OffsetDateTime until) {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, window,
                    timeout, grace, until, exempt);
        }

        Given exempted() {
            return new Given(cpuNanosSince, bytesSince, readable, earlier, startedAt, lastActivityAt, gpus, window,
                    timeout, grace, keepAliveUntil, true);
        }

        Idleness.Check check() {
            Optional<ContainerSignals.Counters> counters = readable ? Optional.of(new ContainerSignals.Counters(
                    CPU_BEFORE + cpuNanosSince, NET_BEFORE + bytesSince)) : Optional.empty();
            return new Idleness.Check(NOW.toInstant(), NOW, counters, earlier, startedAt, lastActivityAt, gpus,
                    new Idleness.Thresholds(5, 2, 1 << 20, window), timeout, grace, keepAliveUntil, exempt);
        }
    }

    static Idleness.Gpus gpus(OptionalInt... utilisation) {
        return new Idleness.Gpus(true, List.of(utilisation), Optional.empty());
    }

    static Arguments row(String rule, UnaryOperator<Given> change, Verdict verdict, String reason, int checks) {
        return Arguments.of(Named.of(rule, change.apply(Given.idle())), verdict, reason, checks);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                row("quiet on every signal for the third check of three", g -> g, Verdict.IDLE, "3 checks in a row", 3),
                // CPU
                row("CPU over its threshold is busy", g -> g.cpu(2.5), Verdict.BUSY, "CPU 2.5% (idle under 2.0%)", 0),
                row("CPU just under its threshold is idle", g -> g.cpu(1.9), Verdict.IDLE, "idle since", 3),
                // network
                row("a MiB of network traffic is busy", g -> g.network(1 << 20), Verdict.BUSY, "network 1024 KiB", 0),
                row("under a MiB of network traffic is idle", g -> g.network((1 << 20) - 1), Verdict.IDLE, "idle", 3),
                // GPU
                row("a GPU at 40% is busy", g -> g.gpus(gpus(OptionalInt.of(40))), Verdict.BUSY, "GPU 40%", 0),
                row("one of two GPUs busy is busy", g -> g.gpus(gpus(OptionalInt.of(1), OptionalInt.of(5))),
                        Verdict.BUSY, "GPU 5%", 0),
                row("GPUs under 5% are idle", g -> g.gpus(gpus(OptionalInt.of(4), OptionalInt.of(0))), Verdict.IDLE,
                        "idle", 3),
                row("a MIG slice reports no utilisation: the other signals decide",
                        g -> g.gpus(gpus(OptionalInt.empty())), Verdict.IDLE, "idle", 3),
                row("nvidia-smi not read: the other signals decide", g -> g.gpus(new Idleness.Gpus(true,
                        List.of(OptionalInt.empty()), Optional.of("nvidia-smi did not answer"))), Verdict.IDLE, "idle", 3),
                row("a MIG slice with busy CPU is busy", g -> g.gpus(gpus(OptionalInt.empty())).cpu(50), Verdict.BUSY,
                        "CPU 50.0%", 0),
                // proxied traffic
                row("Jupyter used through the portal since the last check", g -> g.jupyterUsed(LAST.plusSeconds(30)),
                        Verdict.BUSY, "Jupyter in use", 0),
                row("Jupyter used before the last check only", g -> g.jupyterUsed(LAST.minusSeconds(30)), Verdict.IDLE,
                        "idle", 3),
                // windows: checks in a row
                row("the second quiet check of three", g -> g.streak(1), Verdict.IDLE_TOO_SHORT, "2 of 3 checks", 2),
                row("the first quiet check with a window of one", g -> g.streak(0).window(1), Verdict.IDLE, "idle", 1),
                row("a busy check after a long quiet spell starts again", g -> g.streak(40).cpu(30), Verdict.BUSY,
                        "CPU 30.0%", 0),
                row("the first reading has nothing to compare with", g -> g.earlier(Idleness.Earlier.none()),
                        Verdict.NOT_MEASURED, "no earlier reading", 0),
                row("a process not read keeps a long quiet spell", g -> g.unreadable().streak(3), Verdict.IDLE, "idle", 3),
                row("a process not read with a short spell", g -> g.unreadable().streak(1), Verdict.NOT_MEASURED,
                        "could not be read", 1),
                row("started again since the last reading", g -> g.started(LAST.plusSeconds(10)),
                        Verdict.NOT_MEASURED, "started again", 0),
                // grace period
                row("started within the grace period", g -> g.started(NOW.minusMinutes(10)), Verdict.IN_GRACE,
                        "grace_period", 3),
                row("the grace period is over", g -> g.started(NOW.minusMinutes(31)), Verdict.IDLE, "idle", 3),
                row("no grace period", g -> g.started(NOW.minusMinutes(10)).grace(Optional.empty()), Verdict.IDLE,
                        "idle", 3),
                // keep-alive
                row("kept alive for another hour", g -> g.keepAlive(NOW.plusHours(1)), Verdict.KEPT_ALIVE,
                        "kept alive", 3),
                row("the keep-alive ran out", g -> g.keepAlive(NOW.minusMinutes(1)), Verdict.IDLE, "idle", 3),
                // exemptions and limits
                row("the owner is exempt", Given::exempted, Verdict.EXEMPT, "exempt", 3),
                row("an exempt owner's busy container is busy", g -> g.exempted().cpu(10), Verdict.BUSY, "CPU 10.0%", 0),
                row("no idle timeout", g -> g.timeout(Optional.empty()), Verdict.NO_TIMEOUT, "no idle_timeout", 3));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rules")
    void eachRule(Given given, Verdict verdict, String reason, int checks) {
        Idleness.Decision decision = Idleness.decide(given.check());
        assertThat(decision.verdict()).as(decision.reason()).isEqualTo(verdict);
        assertThat(decision.reason()).contains(reason);
        assertThat(decision.idleChecks()).as("idle checks in a row").isEqualTo(checks);
        assertThat(decision.idleTimeoutApplies()).isEqualTo(verdict == Verdict.IDLE);
        assertThat(decision.idleSince() == null).as("an idle spell has its start").isEqualTo(checks == 0);
    }

    @ParameterizedTest(name = "after {0} quiet checks")
    @ValueSource(ints = {0, 1, 2, 3, 50})
    void aBusyCheckEndsTheSpellAndItsWarningsButNotTheRuntimeOnes(int quiet) {
        Idleness.Decision decision = Idleness.decide(Given.idle().streak(quiet).cpu(80).check());
        assertThat(decision.idleChecks()).isZero();
        assertThat(decision.idleSince()).isNull();
        assertThat(decision.streakBroken()).isTrue();
        assertThat(decision.restarted()).isFalse();
    }

    @ParameterizedTest(name = "after {0} quiet checks")
    @ValueSource(ints = {0, 1, 2, 3, 50})
    void aRestartEndsTheSpellAndEveryWarning(int quiet) {
        Idleness.Decision decision = Idleness.decide(Given.idle().streak(quiet).started(LAST.plusSeconds(1)).check());
        assertThat(decision.idleChecks()).isZero();
        assertThat(decision.streakBroken()).isTrue();
        assertThat(decision.restarted()).isTrue();
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 2, 3, 5})
    void theSpellStartsAtTheFirstQuietCheckAndCountsFromThere(int window) {
        Idleness.Check first = Given.idle().streak(0).window(window).check();
        Idleness.Decision decision = Idleness.decide(first);
        assertThat(decision.idleSince().toInstant()).isEqualTo(Instant.from(NOW));
        assertThat(decision.idleChecks()).isEqualTo(1);
        assertThat(decision.verdict()).isEqualTo(window == 1 ? Verdict.IDLE : Verdict.IDLE_TOO_SHORT);
        Idleness.Decision later = Idleness.decide(Given.idle().earlier(new Idleness.Earlier(LAST, CPU_BEFORE, NET_BEFORE,
                4, NOW.minusMinutes(4))).window(window).check());
        assertThat(later.idleSince()).as("a spell keeps its start").isEqualTo(NOW.minusMinutes(4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signalWords")
    void theSignalsInWords(Given given, String words) {
        assertThat(Idleness.decide(given.check()).signals()).isEqualTo(words);
    }

    static Stream<Arguments> signalWords() {
        return Stream.of(
                Arguments.of(Named.of("CPU-only", Given.idle()), "no GPU, CPU 0.5%, network 10 KiB, no Jupyter traffic"),
                Arguments.of(Named.of("two GPUs, Jupyter used", Given.idle().gpus(gpus(OptionalInt.of(3),
                        OptionalInt.of(70))).jupyterUsed(NOW)), "GPU 3%/70%, CPU 0.5%, network 10 KiB, Jupyter in use"),
                Arguments.of(Named.of("a MIG slice", Given.idle().gpus(gpus(OptionalInt.empty()))),
                        "GPU unknown (MIG slices report no utilisation; the other signals decide), CPU 0.5%, network "
                                + "10 KiB, no Jupyter traffic"),
                Arguments.of(Named.of("nvidia-smi not read, first reading", Given.idle().gpus(new Idleness.Gpus(true,
                        List.of(OptionalInt.empty()), Optional.of("it hung"))).earlier(Idleness.Earlier.none())),
                        "GPU not read (it hung; the other signals decide), CPU not measured yet, network not measured "
                                + "yet, no Jupyter traffic"));
    }
}
