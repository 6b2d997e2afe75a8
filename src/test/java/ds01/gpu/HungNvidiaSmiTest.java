package ds01.gpu;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GPU fallen off the bus leaves nvidia-smi hanging with its output open. The inventory and the health check say
 * "nvidia-smi did not answer within N s", pages keep answering meanwhile, and the next read works once the tool
 * answers again.
 */
@QuarkusTest
@TestProfile(HungNvidiaSmiProfile.class)
@TestSecurity(user = "ds01admin", roles = {"user", "admin"})
class HungNvidiaSmiTest {

    private static final String DID_NOT_ANSWER = "nvidia-smi did not answer within "
            + HungNvidiaSmiProfile.TIMEOUT_SECONDS + " s";
    /** Well under the tool's timeout: a page that waited for the hung tool would take longer. */
    private static final Duration FAST = Duration.ofMillis(HungNvidiaSmiProfile.TIMEOUT_SECONDS * 1000L * 3 / 4);

    @Inject
    InventoryService inventory;

    @BeforeEach
    @AfterEach
    void toolAnswers() throws Exception {
        Files.deleteIfExists(HungNvidiaSmiProfile.HANG);
    }

    @Test
    void aHungNvidiaSmiIsReportedPagesKeepAnsweringAndTheNextReadWorks() throws Exception {
        InventoryService.Snapshot good = inventory.refresh();
        assertThat(good.inventory().slots()).as("the H100's four MIG slices").hasSize(4);
        assertThat(good.problem().orElse("")).doesNotContain("did not answer");
        assertThat(gpuCheck(given().get("/q/health").then().extract())).isEqualTo("UP");

        Files.createFile(HungNvidiaSmiProfile.HANG);
        Instant hungAt = Instant.now();
        CompletableFuture<InventoryService.Snapshot> hungRead = CompletableFuture.supplyAsync(inventory::refresh);

        // while the read hangs, pages answer with the last good reading
        Thread.sleep(500);
        assertThat(hungRead).as("the read is hanging").isNotDone();
        ExtractableResponse<Response> gpus = timed("/admin/gpus", "text/html");
        assertThat(gpus.statusCode()).isEqualTo(200);
        assertThat(gpus.asString()).contains("3g.40gb");
        ExtractableResponse<Response> status = timed("/status", "text/html");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.asString()).contains("GPU inventory (nvidia-smi)");
        assertThat(timed("/q/health", "application/json").statusCode()).isIn(200, 503);

        InventoryService.Snapshot hung = hungRead.get(HungNvidiaSmiProfile.TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
        Duration took = Duration.between(hungAt, Instant.now());
        assertThat(took).as("the timeout holds although the output stays open")
                .isLessThan(Duration.ofSeconds(HungNvidiaSmiProfile.TIMEOUT_SECONDS + 6));
        assertThat(hung.problem()).hasValueSatisfying(p -> assertThat(p).startsWith(DID_NOT_ANSWER));
        assertThat(hung.inventory().slots()).as("the last good reading stays").hasSize(4);
        // the reading it keeps is the last good one: ours, or one the health check's own thread took just after it
        // (a read begun before the tool hung); the hung read, which ends at its timeout, made none
        assertThat(hung.readAt()).isAfterOrEqualTo(good.readAt()).isBefore(hungAt.plusSeconds(2));
        assertThat(timed("/admin/gpus", "text/html").asString()).contains("id=\"inventory-problem\"")
                .contains(DID_NOT_ANSWER);
        assertThat(standInsStillRunning()).as("the stand-in and its child holding the output were killed").isEmpty();

        // the health check asks on its own thread; once its call has timed out too, /q/health and the pages say so
        ExtractableResponse<Response> health = poll("/q/health", "application/json",
                r -> "DOWN".equals(gpuCheck(r)));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.jsonPath().getString("checks.find { it.name == 'gpu-inventory' }.data.problem"))
                .startsWith(DID_NOT_ANSWER);
        assertThat(timed("/status", "text/html").asString()).contains("Portal degraded:").contains(DID_NOT_ANSWER);
        assertThat(timed("/admin/health", "text/html").asString()).contains(DID_NOT_ANSWER);

        Files.delete(HungNvidiaSmiProfile.HANG);
        InventoryService.Snapshot again = inventory.refresh();
        assertThat(again.readAt()).isAfter(good.readAt());
        assertThat(again.problem().orElse("")).doesNotContain("did not answer");
        assertThat(again.inventory().slots()).hasSize(4);
        assertThat(poll("/q/health", "application/json", r -> "UP".equals(gpuCheck(r))).jsonPath()
                .getString("checks.find { it.name == 'gpu-inventory' }.data.summary")).isEqualTo("1 GPU(s), driver 590.48.01");
        assertThat(timed("/status", "text/html").asString()).doesNotContain(DID_NOT_ANSWER);
        assertThat(standInsStillRunning()).isEmpty();
    }

    private static String gpuCheck(ExtractableResponse<Response> health) {
        return health.jsonPath().getString("checks.find { it.name == 'gpu-inventory' }.status");
    }

    /** Requests a page and checks it answered fast, whatever the GPU tool is doing. */
    private static ExtractableResponse<Response> timed(String path, String accept) {
        long before = System.nanoTime();
        ExtractableResponse<Response> response = given().accept(accept).get(path).then().extract();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as(path + " answers while nvidia-smi hangs")
                .isLessThan(FAST);
        return response;
    }

    private static ExtractableResponse<Response> poll(String path, String accept,
            Predicate<ExtractableResponse<Response>> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(HungNvidiaSmiProfile.TIMEOUT_SECONDS * 3L).toNanos();
        ExtractableResponse<Response> response = timed(path, accept);
        while (!until.test(response) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = timed(path, accept);
        }
        assertThat(until).as(path + ": " + response.asString()).accepts(response);
        return response;
    }

    /** The stand-in's hanging child ({@code sleep 3600}) while the tool hangs; none once it was killed. */
    private static List<ProcessHandle> standInsStillRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ProcessHandle> left;
        do {
            left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").matches(".*sleep 3600$"))
                    .filter(ProcessHandle::isAlive).toList();
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }
}
