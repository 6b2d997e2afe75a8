package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import ds01.testing.CleanMachine;
import ds01.testing.LimitsAboveTheMachine;
import ds01.testing.TestMachine;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits larger than the server (4096 CPUs, 64t of memory) on the real Docker engine: the engine would refuse
 * such a container ("Range of CPUs is from 0.01 to 2.00"), so it gets the server's CPUs and memory, and the deploy
 * and limits pages say so. The server's size is what the engine's own info says.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(LimitsAboveTheMachine.class)
class MachineSizeTest {

    final DockerClient docker = TestMachine.engine();
    int cpus;
    long memory;

    @BeforeEach
    void readTheServersSize() {
        Info info = docker.infoCmd().exec();
        cpus = info.getNCPU();
        memory = info.getMemTotal();
        assertThat(cpus).as("the test's limits must be above this server").isLessThan(4096);
        assertThat(memory).isLessThan(64L << 40);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aCpuOnlyDeployWithLimitsAboveTheServerGetsTheServerAndTheDeploySaysSo() {
        ExtractableResponse<Response> deployed = given().contentType(ContentType.JSON)
                .body(Map.of("project", "mtest", "image", "ds01-test/base:latest", "gpus", 0))
                .post("/api/containers").then().extract();
        assertThat(deployed.statusCode()).as(deployed.asString()).isEqualTo(201);

        HostConfig host = docker.inspectContainerCmd("mtest._.2001").exec().getHostConfig();
        assertThat(host.getNanoCPUs()).isEqualTo(cpus * 1_000_000_000L);
        assertThat(host.getMemory()).isEqualTo(memory);
        assertThat(host.getMemorySwap()).as("memory_swap equal to memory: still no swap").isEqualTo(memory);
        assertThat(host.getShmSize()).as("limits within the server stay as written").isEqualTo(64L << 20);

        String created = deployed.jsonPath().getString("steps.find { it.name == 'Create the container' }.detail");
        assertThat(created).contains("4096 CPUs (this server has " + cpus + ": you get " + cpus + ")")
                .contains("64t of memory (this server has " + size(memory) + ": you get " + size(memory) + ")");
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void theLimitsPagesSayWhatAContainerGetsOnThisServer() {
        String words = "4096 CPUs (this server has " + cpus + ": you get " + cpus + ")";
        String user = given().accept("text/html").get("/admin/limits/ds01alice").then().statusCode(200).extract()
                .asString();
        assertThat(user).contains("This server has " + cpus + " CPUs and " + size(memory) + " of memory")
                .contains("max_cpus: " + words)
                .contains("memory: 64t of memory (this server has " + size(memory) + ": you get " + size(memory) + ")");
        String overview = given().accept("text/html").get("/admin/limits").then().statusCode(200).extract().asString();
        assertThat(overview).contains("defaults, max_cpus: " + words);
    }

    /** The server's memory as the pages write it: one decimal of a gibibyte. */
    private static String size(long bytes) {
        return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + "g"
                : String.format(Locale.ROOT, "%.1fg", bytes / (double) (1L << 30));
    }
}
