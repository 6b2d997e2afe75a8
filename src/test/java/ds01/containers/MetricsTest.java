package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import ds01.gpu.GpuMetrics;
import ds01.identity.HostAccounts;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prometheus reads at {@code /q/metrics} after real deploys on the engine (the captured H100 in 7 slices,
 * limits-containers.yaml: one slot a user): slots by profile, GPU-equivalents, each user's units, containers by
 * state, refusals by reason and the deploy histogram; admins only.
 */
@QuarkusTest
@TestProfile(DeploymentsTest.ContainerLimits.class)
class MetricsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Deployments deployments;

    @Inject
    HostAccounts accounts;

    @Inject
    GpuMetrics gpuMetrics;

    @Inject
    ContainerMetrics containerMetrics;

    DockerClient docker;

    @BeforeEach
    void cleanMachine() {
        docker = TestMachine.engine();
        TestMachine.removeContainers(docker);
        TestMachine.useH100();
        TestMachine.emptyDatabase(dataSource);
    }

    @AfterEach
    void removeContainers() throws Exception {
        TestMachine.removeContainers(docker);
        docker.close();
    }

    private Deployments.Outcome deploy(String user, String project, int gpus) {
        return deployments.deploy(new Deployments.DeployRequest(accounts.find(user).orElseThrow(), project,
                "ds01-test/base:latest", new Deployments.GpuChoice(gpus, false, Optional.empty()), "api"));
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
        assertThat(deploy("ds01alice", "metrics", 1).result()).isEqualTo("running");
        assertThat(deploy("ds01bob", "cpuonly", 0).result()).isEqualTo("running");
        assertThat(deploy("ds01alice", "second", 1).result()).as("one slot a user").isEqualTo("refused");
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
    @TestSecurity(user = "ds01alice", roles = "user")
    void usersCannotReadTheMetrics() {
        given().get("/q/metrics").then().statusCode(403);
    }
}
