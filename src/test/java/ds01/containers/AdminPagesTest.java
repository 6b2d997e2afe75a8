package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import ds01.identity.HostAccounts;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.FormPost;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin pages on the real engine: users with their limits, holdings and GPU-hours; all containers, filtered,
 * stopped with a reason the owner is told; the audit log searched and exported; the usage report with its CSV;
 * the health page; what Prometheus reads at {@code /q/metrics} (the captured H100 in 7 slices, one slot a user).
 * Users get none of them.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
class AdminPagesTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeployFlow deploys;

    @Inject
    ContainerActions actions;

    @Inject
    HostAccounts accounts;

    @Inject
    ds01.gpu.GpuMetrics gpuMetrics;

    @Inject
    ContainerMetrics containerMetrics;

    final DockerClient docker = TestMachine.engine();
    String since;

    @BeforeEach
    void since() {
        since = "occurred_at >= '" + OffsetDateTime.now() + "'";
    }

    private long deploy(String user, String project, int gpus) {
        Outcome outcome = deploys.deploy(new DeployFlow.DeployRequest(accounts.find(user).orElseThrow(),
                project, "ds01-test/base:latest", new DeployFlow.GpuChoice(gpus, false, Optional.empty()), "api"));
        assertThat(outcome.result()).as(outcome.message()).isEqualTo(Outcome.Result.running);
        return outcome.containerId();
    }

    /** An allocation that ended: {@code hours} long, {@code endedHoursAgo} ago, of a slot of {@code weight}. */
    private void pastAllocation(String user, String slot, double weight, int hours, int endedHoursAgo) {
        TestDatabase.execute(dataSource, "insert into allocation (node, slot_id, slot_uuid, weight, owner_id, allocated_at, "
                + "released_at, release_reason) select 'testnode', '" + slot + "', 'MIG-past', " + weight + ", id, now() - "
                + "interval '" + (hours + endedHoursAgo) + " hours', now() - interval '" + endedHoursAgo + " hours', "
                + "'test history' from portal_user where username = '" + user + "'");
    }

    private static String page(String path) {
        return given().accept("text/html").get(path).then().statusCode(200).extract().asString();
    }

    private static ExtractableResponse<Response> post(String action, Map<String, String> fields) {
        return FormPost.from("/admin/containers", action, fields);
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void anAdminSeesUsersContainersTheLogUsageAndHealthAndStopsAContainerSayingWhy() throws Exception {
        long alices = deploy("ds01alice", "thesis", 1);
        deploy("ds01bob", "notes", 0);
        // history this week: alice a whole GPU for 2 h, bob a 1/7 slice for 7 h (1 GPU-hour)
        pastAllocation("ds01alice", "3", 1.0, 2, 1);
        pastAllocation("ds01bob", "4", 0.1429, 7, 1);

        String users = page("/admin/users");
        assertThat(users).contains("id=\"user-ds01alice\"", "id=\"user-ds01bob\"", "student", "max_mig_instances");
        String aliceRow = users.substring(users.indexOf("id=\"user-ds01alice\""), users.indexOf("id=\"user-ds01bob\""));
        assertThat(aliceRow).contains("/admin/containers?user=ds01alice\">1</a> <span class=\"small\">(1 running)",
                "<td>1</td><td>2.0</td><td>2.0</td>");

        assertThat(page("/admin/containers")).contains("thesis._.2001", "notes._.2002");
        assertThat(page("/admin/containers?user=ds01alice")).contains("thesis._.2001").doesNotContain("notes._.2002");
        assertThat(page("/admin/containers?gpu=cpu")).contains("notes._.2002").doesNotContain("thesis._.2001");
        assertThat(page("/admin/containers?gpu=0")).as("alice's slice is on GPU 0").contains("thesis._.2001")
                .doesNotContain("notes._.2002").contains("<option value=\"0\" selected>a slot on GPU 0</option>");
        assertThat(page("/admin/containers?gpu=1")).contains("No container matches");
        assertThat(page("/admin/containers?state=stopped")).contains("No container matches");
        for (String bad : List.of("?state=exploded", "?gpu=maybe", "?user=Robert');drop")) {
            given().accept("text/html").get("/admin/containers" + bad).then().statusCode(400);
        }

        // a reason is required, and nothing changes without one
        assertThat(post("/admin/containers/" + alices + "/retire", Map.of("reason", " ")).statusCode()).isEqualTo(400);
        assertThat(docker.inspectContainerCmd("thesis._.2001").exec().getState().getRunning()).isTrue();
        ExtractableResponse<Response> stop = post("/admin/containers/" + alices + "/stop",
                Map.of("reason", "GPU 3 needs maintenance tonight"));
        assertThat(stop.statusCode()).isEqualTo(303);
        assertThat(docker.inspectContainerCmd("thesis._.2001").exec().getState().getRunning()).isFalse();
        assertThat(TestDatabase.number(dataSource, "select count(*) from audit_event where actor = 'ds01admin' and "
                + "action = 'container.stop' and target = 'thesis._.2001' and detail = 'by admin ds01admin: GPU 3 needs "
                + "maintenance tonight' and " + since)).isEqualTo(1);
        assertThat(TestDatabase.text(dataSource, "select message from notification where container_id = " + alices))
                .contains("thesis._.2001 was stopped by ds01admin, an admin: GPU 3 needs maintenance tonight");
        assertThat(Files.readString(Path.of("/home/ds01alice/workspace/thesis/.ds01-alerts")))
                .contains("[stopped] thesis._.2001 was stopped by ds01admin");

        String audit = page("/admin/audit?user=ds01admin&action=container.");
        assertThat(audit).contains("GPU 3 needs maintenance tonight", "<code>container.stop</code>")
                .as("only container actions").doesNotContain("<code>gpu.", "<code>image.", "<code>lifecycle.");
        ExtractableResponse<Response> csv = given().get("/admin/audit/csv?user=ds01admin&action=container.stop")
                .then().statusCode(200).extract();
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=\"audit-");
        assertThat(csv.asString()).startsWith("occurred_at,actor_kind,actor,action,target,detail,node\r\n")
                .contains(",user,ds01admin,container.stop,thesis._.2001,by admin ds01admin: GPU 3 needs maintenance tonight,testnode\r\n");
        for (String bad : List.of("?action=DROP%20TABLE", "?user=A", "?from=yesterday", "?from=2026-02-01&to=2026-01-01")) {
            given().accept("text/html").get("/admin/audit" + bad).then().statusCode(400);
        }

        String today = LocalDate.now().toString();
        String usage = page("/admin/usage?from=" + LocalDate.now().minusDays(6) + "&to=" + today);
        assertThat(usage).contains("id=\"usage-by-user\"", "id=\"usage-by-group\"", "ds01alice", "ds01bob", "student",
                "usage-bar");
        String byUser = given().get("/admin/usage/csv?by=user&from=" + LocalDate.now().minusDays(6) + "&to=" + today)
                .then().statusCode(200).extract().asString();
        assertThat(byUser.lines().toList()).first().isEqualTo("user,group,gpu_hours,from,to");
        // alice: 2 GPU-hours of history plus the minute her slice has run; bob: 7 h of a 1/7 slice
        assertThat(byUser).containsPattern("ds01alice,student,2\\.0\\d,").contains("ds01bob,student,1.00,");
        assertThat(given().get("/admin/usage/csv?by=group").then().statusCode(200).extract().asString())
                .containsPattern("student,2,3\\.0\\d,");
        given().get("/admin/usage/csv?by=planet").then().statusCode(400);
        given().accept("text/html").get("/admin/usage?from=2020-01-01&to=2026-01-01").then().statusCode(400);

        String health = page("/admin/health");
        assertThat(health).contains("id=\"health-parts\"", "Docker engine", "limits-containers.yaml",
                "id=\"job-gpu-metrics\"", "id=\"job-gpu-inventory-refresh\"");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void usersCannotOpenTheAdminPages() {
        for (String path : List.of("/admin/users", "/admin/containers", "/admin/audit", "/admin/audit/csv",
                "/admin/usage", "/admin/usage/csv", "/admin/health")) {
            given().accept(path.endsWith("csv") ? "text/csv" : "text/html").get(path).then().statusCode(403);
        }
        long bobs = deploy("ds01bob", "private", 0);
        assertThat(FormPost.from("/containers", "/admin/containers/" + bobs + "/retire",
                Map.of("reason", "because I can")).statusCode()).isEqualTo(403);
        assertThat(docker.inspectContainerCmd("private._.2002").exec().getState().getRunning()).isTrue();
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the one sample line that starts with {@code series} (name and labels, as Prometheus writes them). */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(
                series.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError("no " + series
                + " in\n" + scrape.lines().filter(l -> l.startsWith("ds01_") && !l.contains("_bucket")).toList()));
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void gpusContainersRefusalsAndDeploysAreCounted() {
        double refusedBefore = scrape().contains("ds01_allocation_refusals_total{reason=\"quota\"")
                ? sample(scrape(), "ds01_allocation_refusals_total{reason=\"quota\"}") : 0;
        deploy("ds01alice", "metrics", 1);
        deploy("ds01bob", "cpuonly", 0);
        assertThat(deploys.deploy(new DeployFlow.DeployRequest(accounts.find("ds01alice").orElseThrow(), "second",
                "ds01-test/base:latest", new DeployFlow.GpuChoice(1, false, Optional.empty()), "api")).result())
                .as("one slot a user").isEqualTo(Outcome.Result.refused);
        gpuMetrics.refresh();
        containerMetrics.refresh();

        String metrics = scrape();
        assertThat(sample(metrics, "ds01_gpu_slots{profile=\"1g.10gb\"}")).isEqualTo(7);
        assertThat(sample(metrics, "ds01_gpu_slots_allocated{profile=\"1g.10gb\"}")).isEqualTo(1);
        assertThat(sample(metrics, "ds01_gpu_slots_free{profile=\"1g.10gb\"}")).isEqualTo(6);
        assertThat(sample(metrics, "ds01_gpu_allocated")).as("a 1g slice is 1/7 of a GPU").isBetween(0.14, 0.15);
        assertThat(sample(metrics, "ds01_user_gpu_units{user=\"ds01alice\"}")).isEqualTo(1);
        assertThat(metrics).doesNotContain("ds01_user_gpu_units{user=\"ds01bob\"");
        assertThat(sample(metrics, "ds01_gpu_queue_length")).isZero();
        assertThat(sample(metrics, "ds01_containers{state=\"running\"}")).isEqualTo(2);
        assertThat(sample(metrics, "ds01_containers{state=\"stopped\"}")).isZero();
        assertThat(sample(metrics, "ds01_allocation_refusals_total{reason=\"quota\"}")).isEqualTo(refusedBefore + 1);
        assertThat(sample(metrics, "ds01_deploy_duration_seconds_count{result=\"running\"}")).isGreaterThanOrEqualTo(2);
        assertThat(metrics).contains("ds01_deploy_duration_seconds_bucket{result=\"running\",le=\"1.0\"}");
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void requestMetricsAreByRouteNotByEachPathAsked() {
        given().redirects().follow(false).get("/user/ds01admin/nothing-runs-here/lab").then().statusCode(404);
        given().get("/no/such/page-qz7").then().statusCode(404);
        given().get("/api/containers/987654321").then().statusCode(404);
        String metrics = scrape();
        assertThat(metrics).as("the Jupyter proxy's requests, by their template")
                .contains("uri=\"/user/{user}/{project}\"").doesNotContain("nothing-runs-here");
        assertThat(metrics).as("made-up paths make no tags").doesNotContain("page-qz7").doesNotContain("987654321");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void usersCannotReadTheMetrics() {
        given().get("/q/metrics").then().statusCode(403);
    }
}
