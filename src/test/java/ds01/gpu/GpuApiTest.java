package ds01.gpu;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;

/**
 * The inventory API reads the stand-in nvidia-smi, which prints the A100 capture by default: MIG on, four MIG
 * devices in the XML without UUIDs and no -L capture, so no slots and the reason why.
 */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class GpuApiTest {

    @Test
    void aGpuWhoseMigDevicesHaveNoUuidsOffersNoSlotsAndSaysWhy() {
        given().get("/api/gpu/inventory").then().statusCode(200)
                .body("slots", hasSize(0))
                .body("gpusWithoutSlots.'0'", containsString("UUIDs are unknown"))
                .body("problem", containsString("nvidia-smi -L exited with 97"));
    }

    @Test
    void aUserSeesOnlyTheirOwnAllocations() {
        given().get("/api/gpu/allocations").then().statusCode(200)
                .body("findAll { it.owner != 'ds01alice' }", hasSize(0));
    }
}
