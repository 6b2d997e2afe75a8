package ds01.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import ds01.engine.EngineConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged portal killed (SIGKILL) while a deploy with a GPU is under way, then started again: after the
 * reconciler's pass at start, the engine and the database agree: no half-made container, no allocation without
 * its container, no record stuck between steps. Several rounds, each killed at a random moment of the deploy.
 */
class DeployKillIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final int ROUNDS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final DockerClient docker = EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST",
            EngineConnection.DEFAULT_HOST));

    @AfterEach
    void removeContainers() throws Exception {
        for (Container c : aliceContainers()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        docker.close();
    }

    private List<Container> aliceContainers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ds01.user", "ds01alice")).exec();
    }

    @Test
    void aPortalKilledMidDeployLeavesNoHalfMadeContainerAndNoOrphanAllocationAfterItsRestart() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("DS01_DATA_DIR", tmp.resolve("data").toString(),
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString(),
                "DS01_FAKE_GPU_MACHINE", "h100-mig-7",
                "DS01_LIMITS_FILE", Path.of("src/test/resources/limits-containers.yaml").toAbsolutePath().toString(),
                "DS01_BASE_IMAGES", "ds01-test/base:latest");
        Random random = new Random(42);
        List<String> atStart = new java.util.ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            PortalProcess portal = PortalProcess.start(tmp, env);
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            atStart.add(corrections(portal));
            portal.signIn("ds01alice", "ds01-test-password");
            check(portal, round);
            for (JsonNode c : list(portal, "/api/containers")) {
                assertThat(portal.api("DELETE", "/api/containers/" + c.get("id").asLong(), null).statusCode()).isEqualTo(200);
            }
            portal.apiAsync("POST", "/api/containers", "{\"project\": \"kill" + round
                    + "\", \"image\": \"ds01-test/base:latest\", \"gpus\": 1}");
            Thread.sleep(100 + random.nextInt(400));
            portal.kill();
        }
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            atStart.add(corrections(portal));
            portal.signIn("ds01alice", "ds01-test-password");
            check(portal, ROUNDS);
        }
        // what the kills hit varies with timing: printed, so a run shows whether half-made deploys were undone
        System.out.println("KILL rounds=" + ROUNDS + " reconciler corrections at each start: " + atStart);
    }

    private static String corrections(PortalProcess portal) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("reconciled at start: (\\d+) correction")
                .matcher(portal.output());
        return m.find() ? m.group(1) : "?";
    }

    /** After a (re)start: the engine's containers and the portal's records and allocations agree. */
    private void check(PortalProcess portal, int round) throws Exception {
        List<JsonNode> records = list(portal, "/api/containers");
        List<JsonNode> allocations = list(portal, "/api/gpu/allocations");
        Set<String> recordNames = new HashSet<>();
        Set<Long> recordIds = new HashSet<>();
        for (JsonNode r : records) {
            assertThat(r.get("state").asText()).as("round " + round + ": no record stuck between deploy steps: " + r)
                    .isIn("running", "stopped", "queued");
            recordNames.add(r.get("name").asText());
            recordIds.add(r.get("id").asLong());
        }
        Set<String> engineNames = new HashSet<>();
        for (Container c : aliceContainers()) {
            engineNames.add(c.getNames()[0].substring(1));
        }
        assertThat(engineNames).as("round " + round + ": every container on the engine has its record, and back")
                .isEqualTo(recordNames);
        for (JsonNode a : allocations) {
            assertThat(a.get("containerId").isNull()).as("round " + round + ": " + a).isFalse();
            assertThat(recordIds).as("round " + round + ": the allocation's container exists: " + a)
                    .contains(a.get("containerId").asLong());
        }
        assertThat(allocations.size()).as("within the quota of one slot").isLessThanOrEqualTo(1);
    }

    private static List<JsonNode> list(PortalProcess portal, String path) throws Exception {
        HttpResponse<String> response = portal.api("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        JSON.readTree(response.body()).forEach(items::add);
        return items;
    }
}
