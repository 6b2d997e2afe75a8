package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import ds01.gpu.Allocator;
import ds01.gpu.Inventory;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Deploy, stop, start and retire on the real Docker engine, as ds01alice (uid 2001, a real account the test
 * setup makes). The machine is the captured H100 with 7 MIG slices; the engine accepts their UUIDs through the
 * stand-in nvidia hook. What the engine's own inspect says is what is checked.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
public class DeploymentsTest {

    static final Path ALICE_WORKSPACE = Path.of("/home/ds01alice/workspace");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Allocator allocator;

    @Inject
    DeployFlow deploys;

    @Inject
    ContainerActions actions;

    @Inject
    ds01.gpu.GpuQueue queue;

    @Inject
    ds01.identity.HostAccounts accounts;

    final DockerClient docker = TestMachine.engine();
    /** The inventory CleanMachine gave the portal. */
    final Inventory h100 = TestMachine.h100();

    @BeforeEach
    void noNotesFromAnEarlierRun() throws IOException {
        Files.deleteIfExists(ALICE_WORKSPACE.resolve("dtest/notes.txt"));
    }

    private static ExtractableResponse<Response> deploy(String project, String image, int gpus) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "image", image, "gpus", gpus))
                .post("/api/containers").then().extract();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aDeployedContainerIsAimesWithItsLimitsItsMigSliceAndNothingMoreAndRetireKeepsTheWorkspace() throws Exception {
        java.time.OffsetDateTime began = java.time.OffsetDateTime.now();
        ExtractableResponse<Response> deployed = deploy("dtest", "ds01-test/base:latest", 1);
        assertThat(deployed.statusCode()).as(deployed.asString()).isEqualTo(201);
        assertThat(deployed.jsonPath().getList("steps.name", String.class)).containsExactly(
                "Check the project and image", "Check your containers", "Allocate GPUs", "Prepare the workspace",
                "Create the container", "Start the container");
        long id = deployed.jsonPath().getLong("containerId");

        InspectContainerResponse c = docker.inspectContainerCmd("dtest._.2001").exec();
        assertThat(c.getState().getRunning()).isTrue();
        String uuid = h100.slots().get(0).uuid();
        assertThat(c.getConfig().getLabels()).containsEntry("aime.mlc", "dtest._.2001")
                .containsEntry("aime.mlc.USER", "ds01alice").containsEntry("aime.mlc.NAME", "dtest")
                .containsEntry("aime.mlc.WORK_MOUNT", ALICE_WORKSPACE.resolve("dtest").toString())
                .containsEntry("aime.mlc.GPUS", uuid).containsEntry("ds01.user", "ds01alice")
                .containsEntry("ds01.uid", "2001").containsEntry("ds01.project", "dtest")
                .containsEntry("ds01.image", "ds01-test/base:latest").containsEntry("ds01.gpu.slots", "0.0")
                .containsEntry("ds01.gpu.uuids", uuid).containsEntry("ds01.created_by", "api")
                .containsKeys("aime.mlc.FRAMEWORK", "aime.mlc.DATA_MOUNT", "ds01.created_at");
        assertThat(c.getConfig().getUser()).isEqualTo("2001:2001");
        assertThat(c.getConfig().getWorkingDir()).isEqualTo("/workspace");
        HostConfig host = c.getHostConfig();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getNetworkMode()).isEqualTo("bridge");
        assertThat(host.getCapAdd()).isNullOrEmpty();
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getNanoCPUs()).isEqualTo(1_500_000_000L);
        assertThat(host.getMemory()).isEqualTo(256L << 20);
        assertThat(host.getMemorySwap()).isEqualTo(256L << 20);
        assertThat(host.getShmSize()).isEqualTo(64L << 20);
        assertThat(host.getPidsLimit()).isEqualTo(256L);
        assertThat(host.getDeviceRequests()).singleElement().satisfies(d -> {
            assertThat(d.getDriver()).isEqualTo("nvidia");
            assertThat(d.getDeviceIds()).containsExactly(uuid);
        });
        assertThat(c.getMounts()).as("the workspace and the admin's site-wide mount, nothing else").hasSize(2)
                .anySatisfy(m -> {
                    assertThat(m.getSource()).isEqualTo(ALICE_WORKSPACE.resolve("dtest").toString());
                    assertThat(m.getDestination().getPath()).isEqualTo("/workspace");
                    assertThat(m.getRW()).isTrue();
                }).anySatisfy(m -> {
                    assertThat(m.getSource()).isEqualTo("/usr/share/doc");
                    assertThat(m.getDestination().getPath()).isEqualTo("/site/doc");
                    assertThat(m.getRW()).as("read-only, as configured").isFalse();
                });
        assertThat(Files.getAttribute(ALICE_WORKSPACE.resolve("dtest"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .as("the workspace is the user's").isEqualTo(2001);
        assertThat(allocator.live(Optional.of("ds01alice"))).extracting(Allocator.Held::slotId).containsExactly("0.0");

        // the user writes in the workspace from inside the container, as themselves
        String exec = docker.execCreateCmd(c.getId()).withCmd("sh", "-c", "echo kept > /workspace/notes.txt && id -u")
                .withAttachStdout(true).exec().getId();
        docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>())
                .awaitCompletion(30, TimeUnit.SECONDS);

        given().delete("/api/containers/" + id).then().statusCode(200).body("result", equalTo("retired"));
        assertThatThrownBy(() -> docker.inspectContainerCmd("dtest._.2001").exec()).isInstanceOf(NotFoundException.class);
        assertThat(allocator.live(Optional.empty())).as("the slot is free").isEmpty();
        Path notes = ALICE_WORKSPACE.resolve("dtest/notes.txt");
        assertThat(Files.readString(notes)).isEqualTo("kept\n");
        assertThat(Files.getAttribute(notes, "unix:uid")).as("written as the user").isEqualTo(2001);
        assertThat(count("select count(*) from audit_event where target = 'dtest._.2001' and action in "
                + "('container.deploy', 'container.retire') and occurred_at >= '" + began + "'")).isEqualTo(2);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void overQuotaAndOverCountDeploysAreRefusedWithNothingCreated() throws SQLException {
        assertThat(deploy("first", "ds01-test/base:latest", 1).statusCode()).isEqualTo(201);
        ExtractableResponse<Response> overQuota = deploy("second", "ds01-test/base:latest", 1);
        assertThat(overQuota.statusCode()).isEqualTo(409);
        assertThat(overQuota.jsonPath().getString("message")).contains("limit is 1 GPU slots", "container first._.2001");
        assertNotOnEngine("second._.2001");

        assertThat(deploy("second", "ds01-test/base:latest", 0).statusCode()).as("CPU-only fits").isEqualTo(201);
        ExtractableResponse<Response> overCount = deploy("third", "ds01-test/base:latest", 0);
        assertThat(overCount.statusCode()).isEqualTo(409);
        assertThat(overCount.jsonPath().getString("message")).contains("at most 2", "first._.2001", "second._.2001");
        assertNotOnEngine("third._.2001");
        assertThat(count("select count(*) from container where retired_at is null")).isEqualTo(2);

        ExtractableResponse<Response> again = deploy("first", "ds01-test/base:latest", 0);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.jsonPath().getString("message")).contains("already have a container for project first");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void badNamesAndImagesAreRefusedWithNothingCreated() throws SQLException {
        for (String project : List.of("../etc", "Thesis", "a..b", "-x", "", "x".repeat(64), "a/b", "p._.1")) {
            ExtractableResponse<Response> r = deploy(project, "ds01-test/base:latest", 0);
            assertThat(r.statusCode()).as(project).isEqualTo(400);
            assertThat(r.jsonPath().getString("message")).as(project).contains("is not a project name");
        }
        for (String image : List.of("busybox:latest", "ds01-2002/theirs:latest", "ds01-2001/../x", "UPPER/case",
                "ds01-2001/missing:latest")) {
            ExtractableResponse<Response> r = deploy("imgtest", image, 0);
            assertThat(r.statusCode()).as(image).isEqualTo(400);
        }
        ExtractableResponse<Response> notPulled = deploy("imgtest", "aimehub/pytorch-2.8.0-aime-cuda12.6.3", 0);
        assertThat(notPulled.statusCode()).as("a catalogue image may be deployed, once the server has it").isEqualTo(400);
        assertThat(notPulled.jsonPath().getString("message")).contains("is not on this server");
        given().contentType(ContentType.JSON).body("{\"project\": \"x\", \"gpus\": -1}").post("/api/containers").then()
                .statusCode(400);
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/containers").then().statusCode(400)
                .body("message", containsString("could not be read"));
        given().contentType(ContentType.JSON).body("{\"project\": ").post("/api/containers").then().statusCode(400)
                .body("message", containsString("could not be read"));
        for (String extra : List.of("\"mounts\": [\"/etc:/host-etc\"]", "\"privileged\": true",
                "\"network\": \"host\"", "\"devices\": [\"/dev/sda\"]")) {
            given().contentType(ContentType.JSON).body("{\"project\": \"sneaky\", \"image\": \"ds01-test/base:latest\", "
                    + extra + "}").post("/api/containers").then().statusCode(400)
                    .body("message", containsString("is not something this request can ask for"));
        }
        assertThat(count("select count(*) from container")).isZero();
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ds01.managed", "true")).exec())
                .isEmpty();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void stopHoldsTheSliceAndStartFindsItAgain() {
        long id = deploy("holdtest", "ds01-test/base:latest", 1).jsonPath().getLong("containerId");
        given().contentType(ContentType.JSON).post("/api/containers/" + id + "/stop").then().statusCode(200).body("result", equalTo("stopped"));
        assertThat(docker.inspectContainerCmd("holdtest._.2001").exec().getState().getRunning()).isFalse();
        assertThat(allocator.live(Optional.of("ds01alice"))).singleElement().satisfies(h -> {
            assertThat(h.onHold()).isTrue();
            assertThat(h.holdUntil().toInstant()).isAfter(Instant.now().plusSeconds(500));
        });
        given().contentType(ContentType.JSON).post("/api/containers/" + id + "/start").then().statusCode(200).body("result", equalTo("running"));
        assertThat(docker.inspectContainerCmd("holdtest._.2001").exec().getState().getRunning()).isTrue();
        assertThat(allocator.live(Optional.of("ds01alice"))).singleElement().satisfies(h -> assertThat(h.onHold()).isFalse());

        given().contentType(ContentType.JSON).post("/api/containers/" + id + "/stop").then().statusCode(200);
        allocator.releaseContainer(id, ds01.events.Actor.policy("gpu_hold_after_stop"), "hold ended");
        given().contentType(ContentType.JSON).post("/api/containers/" + id + "/start").then().statusCode(409)
                .body("message", containsString("no longer held")).body("message", containsString("deploy again"));
        assertThat(docker.inspectContainerCmd("holdtest._.2001").exec().getState().getRunning()).isFalse();
    }

    @Test
    void aDeployWaitingForAGpuEndsWithItsRequestWhenRetiredOrWhenTheRequestExpires() throws SQLException {
        String since = "occurred_at >= '" + java.time.OffsetDateTime.now() + "'"; // the database outlives test runs
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            TestUsers.standIn(c, "dfiller");
            for (int slot = 0; slot < 7; slot++) {
                s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '0." + slot
                        + "', 'MIG-filler', 0.1429, id from portal_user where username = 'dfiller'");
            }
        }
        Outcome retired = waitForAGpu("leaves");
        actions.retire(retired.containerId(), ds01.events.Actor.user("ds01bob"));
        assertThat(count("select count(*) from gpu_request where container_id = " + retired.containerId()
                + " and state = 'waiting'")).as("a retired deploy waits no more, to be granted a slot for nobody")
                .isZero();

        Outcome expires = waitForAGpu("expires");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("update gpu_request set expires_at = now() - interval '1 second' where container_id = "
                    + expires.containerId());
        }
        assertThat(queue.expire()).isEqualTo(1);
        assertThat(count("select count(*) from container where id = " + expires.containerId() + " and state = "
                + "'failed' and retired_at is not null")).as("the deploy is over, not queued for good").isEqualTo(1);
        assertThat(count("select count(*) from audit_event where action = 'container.deploy-failed' and target = "
                + "'expires._.2002' and detail like '%request was expired%' and " + since)).isEqualTo(1);
    }

    private Outcome waitForAGpu(String project) {
        Outcome waiting = deploys.deploy(new DeployFlow.DeployRequest(accounts.find("ds01bob")
                .orElseThrow(), project, "ds01-test/base:latest", new DeployFlow.GpuChoice(1, false, Optional.empty()),
                "web"));
        assertThat(waiting.result()).as(waiting.message()).isEqualTo(Outcome.Result.queued);
        return waiting;
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aDeployThatWaitsForAGpuStartsWhenOneIsFreed() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            TestUsers.standIn(c, "dfiller");
            for (int slot = 1; slot < 7; slot++) {
                s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '0." + slot
                        + "', 'MIG-filler', 0.1429, id from portal_user where username = 'dfiller'");
            }
        }
        ExtractableResponse<Response> first = deploy("first", "ds01-test/base:latest", 1);
        assertThat(first.statusCode()).isEqualTo(201);
        // bob asks while every slice is taken
        Outcome waiting = deploys.deploy(new DeployFlow.DeployRequest(accounts.find("ds01bob")
                .orElseThrow(), "waits", "ds01-test/base:latest", new DeployFlow.GpuChoice(1, false, Optional.empty()),
                "web"));
        assertThat(waiting.result()).isEqualTo(Outcome.Result.queued);
        assertThat(waiting.message()).contains("position 1");
        assertNotOnEngine("waits._.2002");

        given().delete("/api/containers/" + first.jsonPath().getLong("containerId")).then().statusCode(200);

        assertThat(docker.inspectContainerCmd("waits._.2002").exec().getState().getRunning())
                .as("the freed slice went to the queue and its container started").isTrue();
        assertThat(docker.inspectContainerCmd("waits._.2002").exec().getConfig().getLabels())
                .containsEntry("ds01.gpu.slots", "0.0");
        assertThat(count("select count(*) from container where name = 'waits._.2002' and state = 'running'")).isEqualTo(1);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void retireCanDeleteTheUsersOwnImageButNeverABaseImage() {
        docker.tagImageCmd("ds01-test/base:latest", "ds01-2001/own", "latest").exec();
        long own = deploy("ownimage", "ds01-2001/own:latest", 0).jsonPath().getLong("containerId");
        long base = deploy("baseimage", "ds01-test/base:latest", 0).jsonPath().getLong("containerId");

        given().delete("/api/containers/" + own + "?deleteImage=true").then().statusCode(200)
                .body("steps.find { it.name == 'Delete the image' }.state", equalTo("done"));
        assertThatThrownBy(() -> docker.inspectImageCmd("ds01-2001/own:latest").exec()).isInstanceOf(NotFoundException.class);
        given().delete("/api/containers/" + base + "?deleteImage=true").then().statusCode(200)
                .body("steps.find { it.name == 'Delete the image' }.state", equalTo("skipped"));
        assertThat(docker.inspectImageCmd("ds01-test/base:latest").exec().getId()).isNotBlank();
    }

    /**
     * A step after the GPU was granted and the container made fails for real: the image's command cannot be executed,
     * so the engine creates the container and refuses to start it. Everything before is undone.
     */
    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aStartThatFailsAfterTheGpuAndTheContainerUndoesBoth() throws SQLException {
        String began = "occurred_at >= '" + java.time.OffsetDateTime.now() + "'"; // the database outlives test runs
        String image = "ds01-2001/noexec:latest";
        String maker = docker.createContainerCmd("ds01-test/base:latest").withCmd("/no/such/program").exec().getId();
        try {
            docker.commitCmd(maker).withRepository("ds01-2001/noexec").withTag("latest").exec();
        } finally {
            docker.removeContainerCmd(maker).withForce(true).exec();
        }
        try {
            ExtractableResponse<Response> failed = deploy("nostart", image, 1);
            assertThat(failed.statusCode()).as(failed.asString()).isEqualTo(502);
            assertThat(failed.jsonPath().getString("result")).isEqualTo("failed");
            assertThat(failed.jsonPath().getList("steps.name", String.class)).containsExactly(
                    "Check the project and image", "Check your containers", "Allocate GPUs", "Prepare the workspace",
                    "Create the container", "Start the container", "Remove the half-made container", "Release its GPUs");
            assertThat(failed.jsonPath().getList("steps.state", String.class)).containsExactly(
                    "done", "done", "done", "done", "done", "failed", "undone", "undone");
            assertThat(failed.jsonPath().getString("message")).startsWith("Step \"Start the container\" failed: ")
                    .contains("/no/such/program");

            assertThat(allocator.live(Optional.empty())).as("the slot is free").isEmpty();
            assertNotOnEngine("nostart._.2001");
            assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ds01.managed", "true"))
                    .exec()).as("no container is left on the engine").isEmpty();
            long id = failed.jsonPath().getLong("containerId");
            assertThat(count("select count(*) from container where id = " + id + " and name = 'nostart._.2001' and "
                    + "state = 'failed' and retired_at is not null and failed_step = 'Start the container'"))
                    .as("the record is closed as failed and names the step").isEqualTo(1);
            assertThat(count("select count(*) from audit_event where action = 'container.deploy-failed' and target = "
                    + "'nostart._.2001' and detail like 'Start the container: %' and " + began))
                    .as("the record of the deploy says which step failed").isEqualTo(1);
            assertThat(count("select count(*) from audit_event where action = 'gpu.release' and target = '0.0 of "
                    + "ds01alice' and detail = 'Start the container failed' and " + began))
                    .as("the slot's release says why").isEqualTo(1);
            assertThat(Files.isDirectory(ALICE_WORKSPACE.resolve("nostart"))).as("the workspace stays").isTrue();

            ExtractableResponse<Response> again = deploy("nostart", "ds01-test/base:latest", 1);
            assertThat(again.statusCode()).as("the name and the slot are free again: " + again.asString())
                    .isEqualTo(201);
        } finally {
            TestMachine.removeContainers();
            docker.removeImageCmd(image).withForce(true).exec();
        }
    }

    @Test
    @TestSecurity(user = "ds01bob", roles = "user")
    void anotherUsersContainerIsNotFound() throws SQLException {
        long alices = TestDatabase.alicesSecretContainer(dataSource);
        given().get("/api/containers").then().statusCode(200).body("size()", equalTo(0));
        given().get("/api/containers/" + alices).then().statusCode(404);
        given().contentType(ContentType.JSON).post("/api/containers/" + alices + "/stop").then().statusCode(404);
        given().contentType(ContentType.JSON).post("/api/containers/" + alices + "/start").then().statusCode(404);
        given().delete("/api/containers/" + alices).then().statusCode(404);
        assertThat(count("select count(*) from container where id = " + alices + " and retired_at is null")).isEqualTo(1);
    }

    private void assertNotOnEngine(String name) {
        assertThatThrownBy(() -> docker.inspectContainerCmd(name).exec()).isInstanceOf(NotFoundException.class);
    }

    private int count(String sql) {
        return (int) TestDatabase.number(dataSource, sql);
    }
}
