package ds01.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The process runner on real processes: timeouts that hold while output is open, both streams, stdin, accounts. */
class HostProcessRunnerTest {

    private final ProcessRunner runner = new HostProcessRunner();

    private static Command sh(Duration timeout, String script) {
        return Command.of(timeout, "sh", "-c", script);
    }

    @Test
    void aChildSleepingWithItsOutputOpenIsKilledAtTheTimeoutWithTheGrandchildHoldingThePipe(@TempDir Path tmp)
            throws Exception {
        Path pidFile = tmp.resolve("grandchild.pid");
        Command hangs = sh(Duration.ofSeconds(1), "echo started; sleep 300 & echo $! > " + pidFile + "; sleep 300")
                .named("stand-in");
        long before = System.nanoTime();
        ProcessFailedException e = catchThrowableOfType(() -> runner.run(hangs), ProcessFailedException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(e).as("a hung process is an error, not a result").isNotNull();
        assertThat(e.timedOut()).isTrue();
        assertThat(e.getMessage()).startsWith("stand-in did not answer within 1 s (sh -c ");
        assertThat(took).as("the timeout holds").isLessThan(Duration.ofSeconds(6));
        long grandchild = Long.parseLong(Files.readString(pidFile).strip());
        assertGone(grandchild);
    }

    @Test
    void aProcessThatExitsButLeavesAChildHoldingItsOutputTimesOutToo(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("left-behind.pid");
        Command leaves = sh(Duration.ofSeconds(1), "sleep 300 & echo $! > " + pidFile + "; echo bye; exit 0");
        long before = System.nanoTime();
        assertThatThrownBy(() -> runner.run(leaves)).isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("sh did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(6));
        assertGone(Long.parseLong(Files.readString(pidFile).strip()));
    }

    @Test
    void aDescendantThatMadeASessionOfItsOwnIsKilledToo(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("escaped.pid");
        // setsid takes the sleep out of the runner's process group; only the descendant walk can still reach it
        Command escapes = sh(Duration.ofSeconds(1), "setsid sleep 300 & echo $! > " + pidFile + "; sleep 300");
        assertThatThrownBy(() -> runner.run(escapes)).isInstanceOf(ProcessFailedException.class)
                .hasMessageContaining("did not answer within 1 s");
        assertGone(Long.parseLong(Files.readString(pidFile).strip()));
    }

    @Test
    void megabytesOnStdoutAndStderrAtOnceDoNotDeadlockAndAreCutAtTheLimit() {
        String script = "head -c 8000000 /dev/zero | tr '\\0' e >&2 & head -c 8000000 /dev/zero | tr '\\0' o; wait";
        ProcessResult result = runner.run(sh(Duration.ofSeconds(60), script).keepingOutputUpTo(64 * 1024));
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).hasSize(64 * 1024).matches("o+");
        assertThat(result.stderr()).hasSize(64 * 1024).matches("e+");
        assertThat(result.stdoutCut()).isTrue();
        assertThat(result.stderrCut()).isTrue();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(60));

        // under the limit, every byte of both streams arrives
        ProcessResult whole = runner.run(sh(Duration.ofSeconds(60),
                "head -c 3000000 /dev/zero | tr '\\0' e >&2 & head -c 3000000 /dev/zero | tr '\\0' o; wait"));
        assertThat(whole.stdout()).hasSize(3_000_000);
        assertThat(whole.stderr()).hasSize(3_000_000);
        assertThat(whole.stdoutCut()).isFalse();
        assertThat(whole.stderrCut()).isFalse();
    }

    @Test
    void aCutStreamSaysSoInTheMessage() {
        ProcessResult result = runner.run(sh(Duration.ofSeconds(30),
                "head -c 100000 /dev/zero | tr '\\0' x >&2; exit 4").keepingOutputUpTo(1000));
        assertThatThrownBy(result::orThrow).isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("sh failed with exit code 4 after ")
                .hasMessageEndingWith("[output cut]");
    }

    @Test
    void stdinIsDelivered() {
        assertThat(runner.run(Command.of(Duration.ofSeconds(10), "cat").withStdin("one\ntwo\n")).stdout())
                .isEqualTo("one\ntwo\n");
        // more than a pipe holds, to a process that writes as it reads
        byte[] big = "z".repeat(3_000_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ProcessResult copied = runner.run(Command.of(Duration.ofSeconds(30), "cat").withStdin(big));
        assertThat(copied.stdout()).hasSize(3_000_000);
        assertThat(runner.run(Command.of(Duration.ofSeconds(10), "wc", "-c").withStdin(big)).stdout().strip())
                .isEqualTo("3000000");
    }

    @Test
    void aProcessThatNeverReadsItsStdinStillTimesOut() {
        byte[] big = new byte[4_000_000];
        long before = System.nanoTime();
        assertThatThrownBy(() -> runner.run(Command.of(Duration.ofSeconds(1), "sleep", "300").withStdin(big)))
                .isInstanceOf(ProcessFailedException.class).hasMessageStartingWith("sleep did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void environmentAndWorkingDirectoryAreDelivered(@TempDir Path tmp) throws Exception {
        ProcessResult result = runner.run(sh(Duration.ofSeconds(10), "printf '%s|%s|%s' \"$DS01_PROBE\" \"$PWD\" \"$PATH\"")
                .withEnvironment("DS01_PROBE", "it's here").in(tmp));
        String[] parts = result.stdout().split("\\|", -1);
        assertThat(parts[0]).isEqualTo("it's here");
        assertThat(Path.of(parts[1]).toRealPath()).isEqualTo(tmp.toRealPath());
        assertThat(parts[2]).as("the portal's own environment stays").isEqualTo(System.getenv("PATH"));
    }

    @Test
    void runAsAnUnprivilegedAccountDropsPrivileges() {
        assertThat(runner.run(Command.of(Duration.ofSeconds(10), "id", "-u")).stdout().strip())
                .as("the tests run as root (testing/run-tests.sh)").isEqualTo("0");
        int uid = Integer.parseInt(runner.run(Command.of(Duration.ofSeconds(10), "id", "-u", "ds01alice")).orThrow()
                .stdout().strip());
        int gid = Integer.parseInt(runner.run(Command.of(Duration.ofSeconds(10), "id", "-g", "ds01alice")).orThrow()
                .stdout().strip());
        assertThat(uid).isPositive();

        RunAs alice = RunAs.user("ds01alice", uid, gid);
        ProcessResult ids = runner.run(sh(Duration.ofSeconds(10), "id -u; id -g; id -G").as(alice)).orThrow();
        assertThat(ids.stdout().lines().toList()).containsExactly(String.valueOf(uid), String.valueOf(gid),
                String.valueOf(gid));
        ProcessResult shadow = runner.run(Command.of(Duration.ofSeconds(10), "cat", "/etc/shadow").as(alice));
        assertThat(shadow.exitCode()).as("root's files are closed to her").isNotZero();
        assertThat(shadow.stderr()).contains("Permission denied");
        assertThatThrownBy(shadow::orThrow).hasMessageStartingWith("cat failed with exit code 1 after ")
                .hasMessageContaining("as ds01alice (uid " + uid + ")").hasMessageEndingWith("Permission denied");

        ProcessResult byName = runner.run(Command.of(Duration.ofSeconds(10), "id", "-u").as(RunAs.account("ds01alice")));
        assertThat(byName.stdout().strip()).isEqualTo(String.valueOf(uid));

        ProcessResult asHerWithInput = runner.run(sh(Duration.ofSeconds(10), "cat; id -un").as(Optional.of(alice))
                .withStdin("from stdin\n"));
        assertThat(asHerWithInput.stdout()).isEqualTo("from stdin\nds01alice\n");
    }

    @Test
    void theExceptionSaysWhatRanHowLongTheExitCodeAndTheEndOfStderr() {
        ProcessResult failed = runner.run(sh(Duration.ofSeconds(10), "echo 'first words' >&2; echo 'last words' >&2; exit 3")
                .named("probe"));
        assertThat(failed.exitCode()).isEqualTo(3);
        ProcessFailedException e = catchThrowableOfType(failed::orThrow, ProcessFailedException.class);
        assertThat(e.getMessage()).matches("probe failed with exit code 3 after \\d+ ms \\(sh -c 'echo .*exit 3'\\): "
                + "first words\nlast words");
        assertThat(e.exitCode()).hasValue(3);
        assertThat(e.timedOut()).isFalse();

        String longErrors = runner.run(sh(Duration.ofSeconds(10), "seq 1 5000 >&2; exit 1")).endOfErrors();
        assertThat(longErrors).as("the end, not the start").startsWith("...").endsWith("4999\n5000")
                .hasSizeLessThanOrEqualTo(1003);

        assertThatThrownBy(() -> runner.run(Command.of(Duration.ofSeconds(10), "/nonexistent/nvidia-smi", "-L")))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("could not run nvidia-smi (/nonexistent/nvidia-smi -L): ")
                .hasMessageContaining("No such file or directory");

        ProcessFailedException slow = catchThrowableOfType(() -> runner.run(sh(Duration.ofMillis(700),
                "echo 'going to sleep' >&2; exec sleep 60").named("nvidia-smi")), ProcessFailedException.class);
        assertThat(slow.getMessage()).startsWith("nvidia-smi did not answer within 700 ms (sh -c ")
                .endsWith(": going to sleep");
        assertThat(slow.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(ProcessFailedException.describe(Duration.ofSeconds(10))).isEqualTo("10 s");
        assertThat(ProcessFailedException.describe(Duration.ofMinutes(2))).isEqualTo("2 min");
        assertThat(ProcessFailedException.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d, which held the output, was killed", pid).isFalse();
    }
}
