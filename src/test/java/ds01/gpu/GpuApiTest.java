package ds01.gpu;

import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
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

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aUserSeesOnlyTheirOwnAllocations() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from allocation");
            TestUsers.real(c, "ds01alice");
            TestUsers.real(c, "ds01bob");
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '0.0', 'MIG-a', 0.1429, id "
                    + "from portal_user where username = 'ds01alice'");
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '0.1', 'MIG-b', 0.1429, id "
                    + "from portal_user where username = 'ds01bob'");
        }
        try {
            given().get("/api/gpu/allocations").then().statusCode(200)
                    .body("slotId", contains("0.0"))
                    .body("owner", contains("ds01alice"));
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("delete from allocation");
            }
        }
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void anAllocatedSlotThatNvidiaSmiNoLongerReportsIsFlaggedAndAuditedOnce() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from gpu_request");
            s.execute("delete from allocation");
            TestUsers.real(c, "ds01bob");
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '0.3', 'MIG-gone', 0.1429, id "
                    + "from portal_user where username = 'ds01bob'");
            s.execute("delete from audit_event where action = 'gpu.slot-vanished'");
        }
        try {
            // the A100 stand-in offers no slots at all, so slot 0.3 is not there
            given().contentType("application/json").post("/api/gpu/inventory/refresh").then().statusCode(200)
                    .body("vanished.slotId", contains("0.3")).body("vanished.owner", contains("ds01bob"));
            given().contentType("application/json").post("/api/gpu/inventory/refresh").then().statusCode(200)
                    .body("vanished.slotId", contains("0.3"));
            given().get("/api/gpu/inventory").then().body("vanished.slotId", contains("0.3"));
            given().accept("text/html").get("/admin/gpus/board").then().statusCode(200)
                    .body(containsString("Allocated slots nvidia-smi no longer reports"), containsString("0.3"));
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("select count(*) from audit_event where action = "
                            + "'gpu.slot-vanished' and target = 'slot 0.3 of ds01bob'")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).as("audited when it vanished, not on every read")
                        .isEqualTo(1);
            }
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("delete from allocation");
            }
        }
    }
}
