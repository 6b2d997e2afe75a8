package ds01.lifecycle;

import com.github.dockerjava.api.DockerClient;
import ds01.testing.CleanMachine;
import ds01.testing.FormPost;
import ds01.testing.LifecycleLimitsAndMail;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle jobs on the real engine, with the policy's clock moved by the test and short limits
 * (limits-lifecycle.yaml): a busy container is never idle; a sleeping one is warned at 80% and 95% of its idle
 * timeout, once each, then stopped, and removed after its hold, its workspace file kept; a keep-alive spares one;
 * an over-runtime container is warned and stopped, an extension postponing it. CPU comes from the containers'
 * cgroups, measured over the real second between sweeps.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(LifecycleLimitsAndMail.class)
@TestSecurity(user = "ds01alice", roles = "user")
class LifecycleTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LifecycleSweep sweep;

    @Inject
    Lifelines lifelines;

    @Inject
    ds01.gpu.GpuHolds holds;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private double counted(String kind) {
        io.micrometer.core.instrument.Counter c = metrics.find("ds01.lifecycle.actions").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Inject
    ds01.containers.ContainerActions actions;

    final DockerClient docker = TestMachine.engine();
    /** Only this test's audit events are counted. */
    String since;

    @BeforeEach
    void noAlertsFromAnEarlierRun() {
        since = "occurred_at >= '" + java.time.OffsetDateTime.now() + "'";
        try {
            Files.deleteIfExists(Path.of("/home/ds01alice/workspace/idler/.ds01-alerts"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long deploy(String project) {
        ExtractableResponse<Response> r = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "image", "ds01-test/base:latest", "gpus", 0)).post("/api/containers")
                .then().extract();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath().getLong("containerId");
    }

    private void busy(String project) {
        String exec = docker.execCreateCmd(project + "._.2001").withCmd("sh", "-c", "while :; do :; done").exec().getId();
        docker.execStartCmd(exec).withDetach(true).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<>());
    }

    private String state(String project) {
        return docker.inspectContainerCmd(project + "._.2001").exec().getState().getStatus();
    }

    private long count(String sql) {
        return TestDatabase.number(dataSource, sql);
    }

    /** A sweep at {@code at} on the policy's clock, a real second after the last (the CPU rate's interval). */
    private LifecycleSweep.Report sweepAt(Instant at) throws InterruptedException {
        Thread.sleep(1200);
        return sweep.sweep(at);
    }

    @Test
    void idleIsWarnedTwiceThenStoppedThenRemovedWhileBusyAndKeptAliveContainersRun() throws Exception {
        deploy("idler");
        long kept = deploy("kept");
        deploy("busy");
        busy("busy");
        Path notes = Path.of("/home/ds01alice/workspace/idler/notes.txt");
        Files.writeString(notes, "my results\n");
        Instant t0 = Instant.now();

        sweep.sweep(t0); // the first reading: nothing to compare with yet
        sweepAt(t0.plusSeconds(60)); // first idle check
        sweepAt(t0.plusSeconds(120)); // second: idle since t0 + 1 min, for 1 min
        lifelines.keepAlive("ds01alice", kept, Duration.ofHours(1), t0.plusSeconds(120));
        assertThat(count("select count(*) from notification")).isZero();
        assertThat(count("select idle_checks from container_clock c join container k on k.id = c.container_id "
                + "where k.project = 'busy'")).as("a busy loop is not idle").isZero();

        LifecycleSweep.Report at80 = sweepAt(t0.plusSeconds(60 + 8 * 60 + 10)); // idle 8 min 10 s of 10: past 80 %
        assertThat(at80.actions()).containsExactly("idler._.2001: idle warning at 80%");
        assertThat(sweepAt(t0.plusSeconds(60 + 9 * 60)).actions()).as("each warning once").isEmpty();
        String cards = given().accept("text/html").get("/launcher/cards").then().statusCode(200).extract().asString();
        assertThat(cards).contains("data-idle-stop=", "if it stays idle", "Kept alive", "left</dd>", "no Jupyter traffic");
        LifecycleSweep.Report at95 = sweepAt(t0.plusSeconds(60 + 9 * 60 + 40));
        assertThat(at95.actions()).containsExactly("idler._.2001: idle warning at 95%");
        assertThat(count("select count(*) from notification where kind = 'idle-warning'")).isEqualTo(2);
        assertThat(LifecycleLimitsAndMail.SMTP.received).filteredOn(m -> m.data().contains("idler._.2001 has been idle")).hasSize(2)
                .allSatisfy(m -> assertThat(m.to()).isEqualTo("ds01alice@lab.example"))
                .allSatisfy(m -> assertThat(m.data()).contains("Subject: DS01: your idle container will be stopped (idler)"));
        String alerts = Files.readString(Path.of("/home/ds01alice/workspace/idler/.ds01-alerts"));
        assertThat(alerts).contains("[idle-warning] idler._.2001 has been idle for", "CPU 0.", "no Jupyter traffic",
                "It will be stopped in", "Keep alive");

        LifecycleSweep.Report stop = sweepAt(t0.plusSeconds(60 + 10 * 60 + 5));
        assertThat(stop.actions()).hasSize(1);
        assertThat(stop.actions().get(0)).startsWith("idler._.2001: stopped, idle for 10 min");
        assertThat(state("idler")).isEqualTo("exited");
        assertThat(state("kept")).as("kept alive").isEqualTo("running");
        assertThat(state("busy")).isEqualTo("running");
        assertThat(count("select count(*) from audit_event where actor_kind = 'policy' and actor = 'idle-timeout' "
                + "and action = 'container.stop' and target = 'idler._.2001' and detail like '%CPU %' and " + since)).isEqualTo(1);
        given().accept("text/html").get("/notifications").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("idler._.2001 was stopped"));

        // started again by its owner: its clocks begin anew, it is not stopped at once for its old idle spell
        long idler = count("select id from container where name = 'idler._.2001' and retired_at is null");
        actions.start(idler, ds01.events.Actor.user("ds01alice"));
        assertThat(sweepAt(t0.plusSeconds(60 + 11 * 60)).actions()).isEmpty();
        assertThat(sweepAt(t0.plusSeconds(60 + 12 * 60)).actions()).isEmpty();
        assertThat(state("idler")).isEqualTo("running");
        actions.stop(idler, ds01.events.Actor.user("ds01alice"));

        // removed after container_hold_after_stop (30 min); the workspace stays
        assertThat(sweepAt(Instant.now().plus(Duration.ofMinutes(29))).actions()).isEmpty();
        LifecycleSweep.Report removal = sweepAt(Instant.now().plus(Duration.ofMinutes(31)));
        assertThat(removal.actions()).anySatisfy(a -> assertThat(a).startsWith("idler._.2001: removed"));
        assertThat(docker.listContainersCmd().withShowAll(true).withNameFilter(java.util.List.of("idler._.2001")).exec())
                .isEmpty();
        assertThat(Files.readString(notes)).isEqualTo("my results\n");
    }

    @Test
    void anOverRuntimeContainerIsWarnedThenStoppedAndAnExtensionPostponesIt() throws Exception {
        long id = deploy("longrun");
        busy("longrun");
        Instant start = Instant.now();
        sweep.sweep(start);
        assertThat(sweepAt(start.plus(Duration.ofMinutes(91))).actions())
                .containsExactly("longrun._.2001: runtime warning at 75%");
        assertThat(sweepAt(start.plus(Duration.ofMinutes(109))).actions())
                .containsExactly("longrun._.2001: runtime warning at 90%");
        lifelines.extendRuntime("ds01alice", id, Duration.ofHours(1));
        assertThat(sweepAt(start.plus(Duration.ofMinutes(125))).actions()).as("3 h now").isEmpty();
        assertThat(state("longrun")).isEqualTo("running");
        assertThat(sweepAt(start.plus(Duration.ofMinutes(136))).actions()).as("warned anew for the new end")
                .containsExactly("longrun._.2001: runtime warning at 75%");
        LifecycleSweep.Report stop = sweepAt(start.plus(Duration.ofMinutes(181)));
        assertThat(stop.actions()).singleElement().asString().startsWith("longrun._.2001: stopped, running for 3 h");
        assertThat(state("longrun")).isEqualTo("exited");
        assertThat(count("select count(*) from audit_event where actor = 'max-runtime' and action = 'container.stop' and " + since))
                .isEqualTo(1);
        assertThat(count("select count(*) from audit_event where action = 'lifecycle.extend' and " + since)).isEqualTo(1);
    }

    @Test
    void aBusyGpuIsNotIdleAnIdleOneIsStoppedAndItsSlotComesBackAfterTheHold() throws Exception {
        // a whole H100 (MIG off), the stand-in printing its real capture under gpu-burn (100 %) or idle (0 %)
        ds01.gpu.CapturedNvidiaSmi h100 = new ds01.gpu.CapturedNvidiaSmi("h100");
        io.quarkus.test.junit.QuarkusMock.installMockForType(h100, ds01.gpu.NvidiaSmi.class);
        io.quarkus.test.junit.QuarkusMock.installMockForType(new ds01.testing.FixedInventory(h100.inventory()),
                ds01.gpu.InventoryService.class);
        h100.underLoad(true);
        ExtractableResponse<Response> deployed = given().contentType(ContentType.JSON)
                .body(Map.of("project", "trainer", "image", "ds01-test/base:latest", "gpus", 1)).post("/api/containers")
                .then().extract();
        assertThat(deployed.statusCode()).as(deployed.asString()).isEqualTo(201);
        long trainer = deployed.jsonPath().getLong("containerId");
        String gpu = "GPU-00000000-0000-0000-0000-000000000000";
        assertThat(count("select count(*) from allocation where container_id = " + trainer + " and slot_uuid = '" + gpu
                + "' and released_at is null")).isEqualTo(1);
        String signals = "select last_signals from container_clock where container_id = " + trainer;
        String idleChecks = "select idle_checks from container_clock where container_id = " + trainer;

        // its CPU sleeps, but the GPU is busy: never idle, however long
        Instant t0 = Instant.now();
        sweep.sweep(t0);
        assertThat(sweepAt(t0.plusSeconds(60)).actions()).isEmpty();
        assertThat(sweepAt(t0.plusSeconds(120)).actions()).isEmpty();
        assertThat(sweepAt(t0.plusSeconds(60 + 10 * 60 + 5)).actions()).as("busy GPU: not idle").isEmpty();
        assertThat(TestDatabase.text(dataSource, signals)).startsWith("GPU 100%, CPU ");
        assertThat(count(idleChecks)).isZero();

        // the training ends: GPU 0 %, warned, then stopped at the idle timeout, which is halved (10 to 5 min)
        // while the GPUs are in high demand: the one GPU there is, is allocated
        h100.underLoad(false);
        double warnings = counted("idle-warning");
        double stops = counted("idle-stop");
        Instant t1 = t0.plusSeconds(12 * 60);
        sweepAt(t1);
        sweepAt(t1.plusSeconds(60));
        assertThat(TestDatabase.text(dataSource, signals)).startsWith("GPU 0%, CPU ");
        assertThat(sweepAt(t1.plusSeconds(4 * 60 + 10)).actions()).containsExactly("trainer._.2001: idle warning at 80%");
        assertThat(TestDatabase.text(dataSource, "select message from notification where kind = 'idle-warning' and "
                + "container_id = " + trainer)).contains("GPU 0%", "no Jupyter traffic",
                "cut to 5 min while 100% of the GPUs are allocated");
        assertThat(sweepAt(t1.plusSeconds(5 * 60 + 5)).actions()).singleElement().asString()
                .startsWith("trainer._.2001: stopped, idle for 5 min");
        assertThat(state("trainer")).isEqualTo("exited");
        assertThat(counted("idle-warning")).as("ds01_lifecycle_actions_total").isEqualTo(warnings + 1);
        assertThat(counted("idle-stop")).isEqualTo(stops + 1);

        // stopped: the GPU is held for the owner for gpu_hold_after_stop (5 min), then free for others
        assertThat(count("select count(*) from allocation where container_id = " + trainer
                + " and released_at is null and held_since is not null")).isEqualTo(1);
        assertThat(holds.releaseEnded(Instant.now().plus(Duration.ofMinutes(4)))).as("still held").isZero();
        assertThat(holds.releaseEnded(Instant.now().plus(Duration.ofMinutes(6)))).isEqualTo(1);
        assertThat(count("select count(*) from allocation where slot_uuid = '" + gpu + "' and released_at is null"))
                .isZero();
        assertThat(count("select count(*) from audit_event where actor_kind = 'policy' and actor = 'gpu_hold_after_stop'"
                + " and action = 'gpu.release' and " + since)).isEqualTo(1);
        ExtractableResponse<Response> next = given().contentType(ContentType.JSON)
                .body(Map.of("project", "next", "image", "ds01-test/base:latest", "gpus", 1)).post("/api/containers")
                .then().extract();
        assertThat(next.statusCode()).as("the freed GPU is given to the next deploy: " + next.asString()).isEqualTo(201);
        assertThat(count("select count(*) from allocation where container_id = " + next.jsonPath().getLong("containerId")
                + " and slot_uuid = '" + gpu + "' and released_at is null")).isEqualTo(1);
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void adminsSeeWhatTheJobsDidAndWillDoNext() {
        long id = TestDatabase.number(dataSource, "insert into container (node, owner_id, project, name, image_reference, "
                + "state, created_by, started_at) select 'testnode', id, 'dozing', 'dozing._.2001', 'ds01-test/base:latest', "
                + "'running', 'web', now() - interval '20 minutes' from portal_user where username = 'ds01alice' "
                + "returning id");
        TestDatabase.execute(dataSource, "insert into container_clock (node, container_id, idle_checks, idle_since, last_signals) "
                + "values ('testnode', " + id + ", 5, now() - interval '4 minutes', 'no GPU, CPU 0.1%, network 0 KiB, no Jupyter traffic')");
        TestDatabase.execute(dataSource, "insert into audit_event (node, actor_kind, actor, action, target, detail) values "
                + "('testnode', 'policy', 'idle-timeout', 'container.stop', 'earlier._.2002', 'idle for 10 min: CPU 0.0%')");
        String page = given().accept("text/html").get("/admin/lifecycle").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"lifecycle-next\"", "dozing._.2001", "stop (idle)", "CPU 0.1%",
                "stop (max runtime)", "id=\"lifecycle-done\"", "earlier._.2002", "idle for 10 min: CPU 0.0%");
    }

    @Test
    void usersCannotOpenTheLifecyclePage() {
        given().accept("text/html").get("/admin/lifecycle").then().statusCode(403);
    }

    private static ExtractableResponse<Response> adminPost(String action, Map<String, String> fields) {
        return FormPost.from("/admin/lifecycle", action, fields);
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void anExemptionSparesAUsersIdleContainerUntilRevoked() throws Exception {
        String dockerId = docker.createContainerCmd("ds01-test/base:latest").withName("exempt._.2001").withTty(true)
                .withLabels(Map.of("ds01.managed", "true")).exec().getId();
        docker.startContainerCmd(dockerId).exec();
        TestDatabase.execute(dataSource, "insert into container (node, owner_id, project, name, docker_id, image_reference, "
                + "state, created_by, started_at) select 'testnode', id, 'exempt', 'exempt._.2001', '" + dockerId + "', "
                + "'ds01-test/base:latest', 'running', 'api', now() from portal_user where username = 'ds01alice'");
        TestDatabase.execute(dataSource, "update lifecycle_exemption set expires_at = now() where expires_at > now()");
        for (Map<String, String> bad : java.util.List.of(Map.of("username", "Bad Name", "scope", "idle", "days", "7",
                "reason", "x"), Map.of("username", "ds01alice", "scope", "forever", "days", "7", "reason", "x"),
                Map.of("username", "ds01alice", "scope", "idle", "days", "365", "reason", "x"),
                Map.of("username", "ds01alice", "scope", "idle", "days", "7", "reason", " "))) {
            assertThat(adminPost("/admin/lifecycle/exemptions", bad).statusCode()).as(bad.toString()).isEqualTo(400);
        }
        assertThat(adminPost("/admin/lifecycle/exemptions", Map.of("username", "ds01alice", "scope", "idle", "days", "7",
                "reason", "thesis deadline")).statusCode()).isEqualTo(303);
        assertThat(given().accept("text/html").get("/admin/lifecycle").then().extract().asString())
                .contains("id=\"exemptions\"", "thesis deadline");

        Instant t0 = Instant.now();
        sweep.sweep(t0);
        sweepAt(t0.plusSeconds(60));
        sweepAt(t0.plusSeconds(120));
        assertThat(sweepAt(t0.plusSeconds(60 + 9 * 60)).actions()).as("exempt: idle, but not warned").isEmpty();

        long id = count("select id from lifecycle_exemption where username = 'ds01alice' and expires_at > now()");
        assertThat(adminPost("/admin/lifecycle/exemptions/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(303);
        assertThat(sweepAt(t0.plusSeconds(60 + 9 * 60 + 10)).actions()).containsExactly("exempt._.2001: idle warning at 80%");
        assertThat(count("select count(*) from audit_event where action in ('lifecycle.exemption-grant', "
                + "'lifecycle.exemption-revoke') and " + since)).isEqualTo(2);
    }
}
