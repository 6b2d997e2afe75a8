package ds01.identity;

import ds01.events.AuditEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in through the form with real host accounts checked by PAM (testing/setup-accounts.sh makes them),
 * sessions, sign-out, CSRF, and what anonymous visitors get.
 */
@QuarkusTest
class SignInTest {

    private static List<String> actions(String actor) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "actor = ?1 order by id desc", actor).page(0, 20).list().stream().map(e -> e.action).toList());
    }

    @Test
    void anonymousPagesGoToSignInAndTheApiSays401() {
        given().redirects().follow(false).accept("text/html").get("/account").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/signin?next=%2Faccount"));
        given().redirects().follow(false).get("/api/limits/ds01alice").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("Bearer"));
        given().get("/q/health").then().statusCode(200);
        given().get("/signin").then().statusCode(200);
    }

    @Test
    void rightPasswordSignsInWithASafeCookieAndSignOutEndsIt() {
        PortalBrowser browser = new PortalBrowser();
        ExtractableResponse<Response> signIn = browser.signIn("ds01alice", PortalBrowser.PASSWORD);
        assertThat(signIn.statusCode()).as(signIn.asString()).isEqualTo(303);
        assertThat(signIn.header("Location")).endsWith("/account");
        String setCookie = signIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("ds01-session=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HTTPOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");

        String account = browser.get("/account").asString();
        assertThat(account).contains("id=\"account-username\">ds01alice<").contains("uid 2001")
                .contains("id=\"viewer-name\"");
        assertThat(actions("ds01alice")).contains("sign-in");

        ExtractableResponse<Response> out = browser.post("/signout", "/signout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(browser.cookies).doesNotContainKey("ds01-session");
        assertThat(browser.get("/account").statusCode()).isEqualTo(302);
        assertThat(actions("ds01alice")).contains("sign-out");
    }

    @Test
    void refusalsSayWhyAndLetNobodyIn() {
        PortalBrowser browser = new PortalBrowser();
        ExtractableResponse<Response> wrong = browser.signIn("ds01bob", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        String wrongMessage = between(wrong.asString());
        ExtractableResponse<Response> unknown = browser.signIn("ds01nobody", "whatever");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(between(unknown.asString())).as("unknown users look like wrong passwords").isEqualTo(wrongMessage);

        ExtractableResponse<Response> locked = browser.signIn("ds01locked", PortalBrowser.PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(403);
        assertThat(between(locked.asString())).containsIgnoringCase("locked");

        ExtractableResponse<Response> expired = browser.signIn("ds01expired", PortalBrowser.PASSWORD);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(between(expired.asString())).containsIgnoringCase("expired");

        assertThat(browser.signIn("root", "x").statusCode()).isEqualTo(403);
        ExtractableResponse<Response> system = browser.signIn("ds01sys", PortalBrowser.PASSWORD);
        assertThat(system.statusCode()).isEqualTo(403);
        assertThat(between(system.asString())).contains("uid below 1000");
        assertThat(browser.cookies).doesNotContainKey("ds01-session");
        assertThat(actions("ds01locked")).contains("sign-in.refused");
    }

    @Test
    void badInputIsRefusedCleanly() {
        PortalBrowser browser = new PortalBrowser();
        for (String name : new String[] {"a".repeat(33), "ds01\u0000alice", "Alice", "1abc", "a b", "ds01alice\n"}) {
            ExtractableResponse<Response> r = browser.signIn(name, PortalBrowser.PASSWORD);
            assertThat(r.statusCode()).as(name).isBetween(400, 499);
        }
        assertThat(browser.signIn("ds01alice", "").statusCode()).isBetween(400, 499);
        assertThat(browser.cookies).doesNotContainKey("ds01-session");
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefused() {
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "ds01alice").formParam("password", PortalBrowser.PASSWORD)
                .post("/signin").then().statusCode(400);
    }

    @Test
    void aTamperedSessionCookieIsNoSession() {
        PortalBrowser browser = new PortalBrowser();
        assertThat(browser.signIn("ds01alice", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        String value = browser.cookies.get("ds01-session");
        char last = value.charAt(value.length() - 2);
        browser.cookies.put("ds01-session", value.substring(0, value.length() - 2) + (last == 'A' ? 'B' : 'A')
                + value.charAt(value.length() - 1));
        assertThat(browser.get("/account").statusCode()).isEqualTo(302);
        browser.cookies.put("ds01-session", "garbage");
        assertThat(browser.get("/account").statusCode()).isEqualTo(302);
    }

    @Test
    void onlyAdminsReachAdminPagesAndUsersSeeOnlyTheirOwnLimits() {
        PortalBrowser alice = new PortalBrowser();
        alice.signIn("ds01alice", PortalBrowser.PASSWORD);
        assertThat(alice.get("/admin/limits").statusCode()).isEqualTo(403);
        assertThat(alice.get("/account").asString()).doesNotContain("href=\"/admin/limits\"");
        assertThat(alice.request().accept("application/json").get("/api/limits/ds01alice").statusCode()).isEqualTo(200);
        assertThat(alice.request().accept("application/json").get("/api/limits/ds01bob").statusCode()).isEqualTo(403);

        PortalBrowser admin = new PortalBrowser();
        admin.signIn("ds01admin", PortalBrowser.PASSWORD);
        assertThat(admin.get("/account").asString()).contains("member of host group ds01-admin")
                .contains("href=\"/admin/limits\"");
        assertThat(admin.get("/admin/limits").statusCode()).isEqualTo(200);
        assertThat(admin.get("/admin/limits/ds01bob").statusCode()).isEqualTo(200);
        assertThat(admin.request().accept("application/json").get("/api/limits/ds01bob").statusCode()).isEqualTo(200);
        assertThat(admin.request().accept("application/json").get("/api/limits/ds01nobody").statusCode()).isEqualTo(404);
    }

    private static String between(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"signin-error\">([^<]*)<").matcher(page);
        assertThat(m.find()).as("an error message on the sign-in page:\n" + page).isTrue();
        return m.group(1);
    }
}
