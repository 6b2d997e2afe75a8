package ds01.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

/** Runs against the shipped config/resource-limits.yaml (the default ds01.limits.file). */
@QuarkusTest
@TestSecurity(user = "ds01admin", roles = {"user", "admin"})
class LimitsWebTest {

    @Test
    void effectiveLimitsAsJson() {
        given().when().get("/api/limits/ds01alice").then()
                .statusCode(200)
                .body("username", equalTo("ds01alice"))
                .body("group", equalTo("student"))
                .body("groupReason", equalTo("in no members list, so default_group"))
                .body("limits.idle_timeout.value", equalTo("PT30M"))
                .body("limits.idle_timeout.human", equalTo("30m"))
                .body("limits.idle_timeout.source", equalTo("default"))
                .body("limits.memory.value", equalTo(34359738368L))
                .body("limits.memory.human", equalTo("32g"))
                .body("limits.priority.value", equalTo(10))
                .body("limits.priority.source", equalTo("group student"))
                .body("policies.sigterm_grace.human", equalTo("1m"));
    }

    @Test
    void gpuQuotaIsANumberAndNoReservation() {
        // unbounded (null) values are covered by the plain tests; the shipped file gives no user a null
        given().when().get("/api/limits/ds01bob").then()
                .statusCode(200)
                .body("limits.max_gpu_equivalents.unbounded", equalTo(false))
                .body("limits.max_gpu_equivalents.value", equalTo(1.0f))
                .body("reservation", nullValue());
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        long before = countReloads();
        given().accept("text/html").formParam("anything", "x").when().post("/admin/limits/reload").then()
                .statusCode(400);
        org.junit.jupiter.api.Assertions.assertEquals(before, countReloads());
    }

    @jakarta.transaction.Transactional
    long countReloads() {
        return ds01.events.AuditEvent.count("action like 'limits.reload%'");
    }

    @Test
    void badUserNameIs400WithAJsonMessage() {
        given().when().get("/api/limits/Robert;DROP").then()
                .statusCode(400)
                .contentType(containsString("application/json"))
                .body("message", containsString("is not a user name"));
    }

    @Test
    void adminPagesRender() {
        given().accept("text/html").when().get("/admin/limits").then()
                .statusCode(200)
                .body(containsString("config/resource-limits.yaml"))
                .body(containsString("researcher"))
                .body(containsString("Reload now"));
        given().accept("text/html").when().get("/admin/limits/ds01alice").then()
                .statusCode(200)
                .body(containsString("Limits of <span id=\"limits-user\">ds01alice</span>"))
                .body(containsString("idle_timeout"))
                .body(containsString("30m"));
        given().accept("text/html").redirects().follow(false).when().get("/admin/limits?user=ds01alice").then()
                .statusCode(303)
                .header("Location", containsString("/admin/limits/ds01alice"));
        given().accept("text/html").when().get("/admin/limits/Not%20A%20User").then()
                .statusCode(400);
    }

    @Test
    @jakarta.transaction.Transactional
    void reloadNowRedirectsBackAndIsAudited() {
        long before = ds01.events.AuditEvent.count("action", "limits.reload");
        var page = given().accept("text/html").get("/admin/limits").then().statusCode(200).extract();
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().accept("text/html").redirects().follow(false).cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", token).when().post("/admin/limits/reload").then()
                .statusCode(303)
                .header("Location", containsString("/admin/limits"))
                .cookie("ds01-flash", containsString("Limits+reloaded"));
        org.junit.jupiter.api.Assertions.assertEquals(before + 1, ds01.events.AuditEvent.count("action", "limits.reload"));
    }
}
