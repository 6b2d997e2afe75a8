package ds01.gpu;

import ds01.events.Actor;
import ds01.testing.CleanMachine;
import ds01.testing.FixedInventory;
import ds01.testing.QueueLimits;
import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * What users and admins see of the GPUs: the live admin page and its board, the dashboard's quota, holdings and
 * queue, and the JSON of the queue and the quota. One GPU in two slices; qstu1 holds one for a stopped container,
 * qres1 the other, qstu2 waits.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(QueueLimits.class)
class GpuPagesTest {

    @Inject
    GpuQueue queue;

    @Inject
    GpuHolds holds;

    @Inject
    AgroalDataSource dataSource;

    private long waiting;

    @BeforeEach
    void oneGpuTwoSlicesAndAQueue() throws SQLException {
        Inventory twoSlices = TestInventories.migSlices(1, 2);
        QuarkusMock.installMockForType(new FixedInventory(twoSlices), InventoryService.class);
        long container;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String user : List.of("qstu1", "qstu2", "qres1")) {
                TestUsers.standIn(c, user);
            }
            try (ResultSet rs = s.executeQuery("insert into container (node, owner_id, project, name, image_reference, state, "
                    + "created_by) select 'testnode', id, 'qtest', 'thesis._.' || uid, 'ds01-test/base:latest', 'stopped', 'web' "
                    + "from portal_user where username = 'qstu1' returning id")) {
                rs.next();
                container = rs.getLong(1);
            }
        }
        queue.request(new AllocationRequest("qstu1", Set.of(), container, 1, false, Optional.empty()), twoSlices);
        queue.request(new AllocationRequest("qres1", Set.of(), null, 1, false, Optional.empty()), twoSlices);
        waiting = ((AllocationResult.Queued) queue.request(
                new AllocationRequest("qstu2", Set.of(), null, 1, false, Optional.empty()), twoSlices)).requestId();
        holds.containerStopped(container, Actor.user("qstu1"));
    }

    @Test
    @TestSecurity(user = "qadmin", roles = {"user", "admin"})
    void theAdminPageShowsEachSlotItsHolderContainerHoldAndTheQueueAndUpdatesItself() {
        String page = given().accept("text/html").get("/admin/gpus").then().statusCode(200).extract().asString();
        assertThat(page).contains("<title>", "hx-get=\"/admin/gpus/board\"", "hx-trigger=\"every 5s\"",
                "2 of 2</span> slots held");
        String board = given().accept("text/html").get("/admin/gpus/board").then().statusCode(200).extract().asString();
        assertThat(board).as("the fragment only, for htmx to swap").doesNotContain("<html", "<nav")
                .contains("id=\"gpu-board\"", "GPU 0");
        assertThat(rowOf(board, "slot-0.0")).contains("qstu1", "thesis._.", "released in 9 min");
        assertThat(rowOf(board, "slot-0.1")).contains("qres1", "no container yet").doesNotContain("released in");
        assertThat(board).contains("id=\"queue\"", "qstu2", "1 × any slot", "action=\"/gpus/queue/" + waiting + "/cancel\"");
    }

    @Test
    @TestSecurity(user = "qstu2", roles = "user")
    void usersMayNotSeeTheAdminPageButSeeTheirOwnQueueAndQuota() {
        given().accept("text/html").get("/admin/gpus").then().statusCode(403);
        given().accept("text/html").get("/admin/gpus/board").then().statusCode(403);
        given().contentType("application/json").post("/api/gpu/inventory/refresh").then().statusCode(403);

        given().get("/api/gpu/queue").then().statusCode(200)
                .body("id", contains((int) waiting)).body("position", contains(1)).body("owner", contains("qstu2"));
        given().get("/api/gpu/quota").then().statusCode(200)
                .body("slotsHeld", equalTo(0)).body("maxSlots", equalTo(2)).body("slotsLeft", equalTo(2))
                .body("waiting", equalTo(1)).body("priority", equalTo(10)).body("maxEquivalents", nullValue());

        String home = given().accept("text/html").get("/").then().statusCode(200).extract().asString();
        assertThat(home).contains("0 of 2 GPU slots held, 2 left", "You hold no GPU now", "id=\"my-queue\"",
                "action=\"/gpus/queue/" + waiting + "/cancel\"");
    }

    @Test
    @TestSecurity(user = "qstu1", roles = "user")
    void theDashboardShowsWhatIsHeldWithItsHoldCountdownAndOthersCannotCancelMyRequest() {
        String home = given().accept("text/html").get("/").then().statusCode(200).extract().asString();
        assertThat(home).contains("1 of 2 GPU slots held, 1 left", "thesis._.", "released in 9 min")
                .doesNotContain("id=\"my-queue\"");
        given().get("/api/gpu/queue").then().statusCode(200).body("", hasSize(0));
        given().delete("/api/gpu/queue/" + waiting).then().statusCode(404)
                .body("message", containsString("no request " + waiting));
        assertThat(queue.waiting(Optional.empty())).as("still waiting").hasSize(1);
        given().delete("/api/gpu/queue/not-a-number").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "qstu2", roles = "user")
    void theOwnerCancelsFromTheDashboardWithTheFormAndCsrfToken() {
        ExtractableResponse<Response> home = given().accept("text/html").get("/").then().statusCode(200).extract();
        given().accept("text/html").redirects().follow(false).formParam("reason", "none")
                .post("/gpus/queue/" + waiting + "/cancel").then().statusCode(400);
        assertThat(queue.waiting(Optional.empty())).as("a form without the CSRF token changes nothing").hasSize(1);
        given().accept("text/html").redirects().follow(false).contentType("text/plain").body("csrf-token=x")
                .post("/gpus/queue/" + waiting + "/cancel").then().statusCode(415);
        assertThat(queue.waiting(Optional.empty())).as("nor does a text/plain post, as a cross-site form could send")
                .hasSize(1);
        String token = home.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().accept("text/html").redirects().follow(false).cookie("csrf-token", home.cookie("csrf-token"))
                .formParam("csrf-token", token).post("/gpus/queue/" + waiting + "/cancel").then()
                .statusCode(303).header("Location", not(containsString("admin")))
                .cookie("ds01-flash", containsString("out+of+the+queue"));
        assertThat(queue.waiting(Optional.empty())).isEmpty();
    }

    @Test
    @TestSecurity(user = "qadmin", roles = {"user", "admin"})
    void anAdminCancelsThroughTheApi() {
        given().delete("/api/gpu/queue/" + waiting).then().statusCode(204);
        given().get("/api/gpu/queue").then().statusCode(200).body("", hasSize(0));
    }

    private static String rowOf(String html, String id) {
        int start = html.indexOf("id=\"" + id + "\"");
        assertThat(start).as("row " + id).isPositive();
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
