package ds01.portal;

import com.github.dockerjava.api.DockerClient;
import ds01.testing.CleanMachine;
import ds01.testing.TestMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged portal killed (SIGKILL) after it warned that a container is idle, then started again: the clocks
 * are in the database, so the warning is not sent again and the stop comes when the first portal's clock said,
 * not a whole idle timeout after the restart.
 */
@ExtendWith(CleanMachine.class)
class LifecycleRestartIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern WARNING = Pattern.compile("Warning at 80 % of the idle timeout");

    @TempDir
    Path tmp;

    private final DockerClient docker = TestMachine.engine();

    private static int warnings(PortalProcess portal) throws Exception {
        HttpResponse<String> page = portal.get("/notifications", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = WARNING.matcher(page.body());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String state() {
        return docker.inspectContainerCmd("restart._.2001").exec().getState().getStatus();
    }

    @Test
    void aRestartNeitherRepeatsAWarningNorResetsTheIdleClock() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("DS01_DATA_DIR", tmp.resolve("data").toString(),
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString(),
                "DS01_FAKE_GPU_MACHINE", "h100-mig-7",
                "DS01_LIMITS_FILE", Path.of("src/test/resources/limits-lifecycle-restart.yaml").toAbsolutePath().toString(),
                "DS01_BASE_IMAGES", "ds01-test/base:latest",
                "DS01_LIFECYCLE_INTERVAL", "4s", "DS01_LIFECYCLE_FIRST_DELAY", "1s");
        PortalProcess first = PortalProcess.start(tmp, env);
        assertThat(first.awaitStarted(START)).as(first.output()).isTrue();
        first.signIn("ds01alice", "ds01-test-password");
        HttpResponse<String> deployed = first.api("POST", "/api/containers",
                "{\"project\": \"restart\", \"image\": \"ds01-test/base:latest\", \"gpus\": 0}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        // the 80 % warning comes about 48 s into the idle spell
        Instant deadline = Instant.now().plusSeconds(120);
        while (warnings(first) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        assertThat(warnings(first)).as(first.output()).isEqualTo(1);
        first.kill();
        Instant killed = Instant.now();

        try (PortalProcess second = PortalProcess.start(tmp, env)) {
            assertThat(second.awaitStarted(START)).as(second.output()).isTrue();
            second.signIn("ds01alice", "ds01-test-password");
            Instant ready = Instant.now();
            deadline = ready.plusSeconds(120);
            while (!state().equals("exited") && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
            }
            Duration afterRestart = Duration.between(ready, Instant.now());
            assertThat(state()).as(second.output()).isEqualTo("exited");
            // a reset clock would need two checks and then the whole minute again after the restart
            assertThat(afterRestart).as("stopped %s after the restart (killed %s before it was ready)", afterRestart,
                    Duration.between(killed, ready)).isLessThan(Duration.ofSeconds(50));
            assertThat(warnings(second)).as("the 80 % warning is not sent again").isEqualTo(1);
            // the engine reports the stop before the portal has written it down and told the owner
            Instant told = Instant.now().plusSeconds(20);
            while (!second.get("/notifications", "text/html").body().contains("restart._.2001 was stopped")
                    && Instant.now().isBefore(told)) {
                Thread.sleep(500);
            }
            assertThat(second.get("/notifications", "text/html").body()).contains("restart._.2001 was stopped: idle for");
        }
    }
}
