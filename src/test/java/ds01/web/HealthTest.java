package ds01.web;

import ds01.gpu.GpuConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.not;

/** /q/health reports the database, the Docker engine and the GPU inventory tool as separate checks. */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class HealthTest {

    @Inject
    GpuConfig gpu;

    @Test
    void nvidiaSmiIsGivenTenSecondsUnlessConfigured() {
        // DS01_NVIDIA_SMI_TIMEOUT; ds01.gpu.HungNvidiaSmiTest shows what a hung tool does with a shorter one
        assertThat(gpu.nvidiaSmiTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void eachOutsideSystemIsItsOwnCheckAndAllAreUpOnTheTestBench() {
        given().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'docker-engine' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'docker-engine' }.data.summary", containsString("Docker "))
                .body("checks.find { it.name == 'gpu-inventory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'gpu-inventory' }.data.summary", containsString("1 GPU(s), driver "));
    }

    @Test
    void aHealthyPortalShowsNoDegradedBanner() {
        given().accept("text/html").get("/status").then().statusCode(200)
                .body(not(containsString("Portal degraded:")))
                .body(containsString("Docker engine"));
    }
}
