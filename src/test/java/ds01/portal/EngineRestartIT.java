package ds01.portal;

import ds01.testing.CleanMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker engine stopped and started again under a running portal (testing/dockerd.sh, the tests' own
 * engine): the portal says it is degraded and refuses container work with a clear 503, then recovers without a
 * restart; the container the engine's restart stopped is found stopped, keeps its GPU, and starts again.
 */
@ExtendWith(CleanMachine.class)
class EngineRestartIT {

    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    /** Before CleanMachine clears the engine, which it can only do once the engine is back. */
    @AfterEach
    void engineBack() throws Exception {
        dockerd("start");
    }

    @Test
    void thePortalDegradesWhileTheEngineIsDownAndRecoversWithoutARestart() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("DS01_DATA_DIR", tmp.resolve("data").toString(),
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString(),
                "DS01_FAKE_GPU_MACHINE", "h100-mig-7",
                "DS01_LIMITS_FILE", Path.of("src/test/resources/limits-containers.yaml").toAbsolutePath().toString(),
                "DS01_BASE_IMAGES", "ds01-test/base:latest",
                "DS01_RECONCILE", "3s");
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            portal.signIn("ds01alice", "ds01-test-password");
            HttpResponse<String> deployed = portal.api("POST", "/api/containers",
                    "{\"project\": \"survivor\", \"image\": \"ds01-test/base:latest\", \"gpus\": 1}");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

            dockerd("stop");
            await("the health check says the engine is down", () -> portal.get("/q/health", "application/json").body()
                    .matches("(?s).*\"name\": \"docker-engine\",\\s+\"status\": \"DOWN\".*"));
            await("every page says the portal is degraded", () -> portal.get("/containers", "text/html").body()
                    .contains("Portal degraded:"));
            HttpResponse<String> refused = portal.api("POST", "/api/containers",
                    "{\"project\": \"meanwhile\", \"image\": \"ds01-test/base:latest\", \"gpus\": 0}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("Docker engine did not answer");

            dockerd("start");
            await("the health check says the engine is back", () -> portal.get("/q/health", "application/json").body()
                    .matches("(?s).*\"name\": \"docker-engine\",\\s+\"status\": \"UP\".*"));
            HttpResponse<String> after = portal.api("POST", "/api/containers",
                    "{\"project\": \"afterwards\", \"image\": \"ds01-test/base:latest\", \"gpus\": 0}");
            assertThat(after.statusCode()).as("no restart of the portal needed: " + after.body()).isEqualTo(201);

            // the engine's restart stopped the survivor; the reconciler notices, its GPU is held, it starts again
            await("the reconciler records the survivor stopped", () -> portal.api("GET", "/api/containers", null).body()
                    .matches("(?s).*\"name\":\"survivor._.2001\"[^}]*\"state\":\"stopped\".*"));
            long id = Long.parseLong(deployed.body().replaceAll("(?s).*\"containerId\":(\\d+).*", "$1"));
            HttpResponse<String> started = portal.api("POST", "/api/containers/" + id + "/start", null);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(500);
        }
    }

    private static void dockerd(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "testing/dockerd.sh", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("testing/dockerd.sh " + command + ":\n" + output).isZero();
    }
}
