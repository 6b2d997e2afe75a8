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
    void aSignedOutSessionOpensNothingAgainNotEvenACopyOfItsCookie() {
        PortalBrowser laptop = new PortalBrowser();
        assertThat(laptop.signIn("ds01alice", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        String cookie = laptop.cookies.get("ds01-session");
        PortalBrowser copy = new PortalBrowser();
        copy.cookies.put("ds01-session", cookie);
        assertThat(copy.get("/account").statusCode()).as("the copy works while the session lasts").isEqualTo(200);

        PortalBrowser other = new PortalBrowser();
        assertThat(other.signIn("ds01alice", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        assertThat(laptop.post("/signout", "/signout", Map.of()).statusCode()).isEqualTo(303);

        ExtractableResponse<Response> replayed = copy.get("/account");
        assertThat(replayed.statusCode()).as("the cookie of a signed-out session, replayed").isEqualTo(302);
        assertThat(replayed.header("Location")).startsWith("/signin");
        assertThat(copy.cookies).as("and the browser is told to drop it").doesNotContainKey("ds01-session");
        assertThat(given().cookie("ds01-session", cookie).accept("application/json").get("/api/containers")
                .statusCode()).as("the API too").isEqualTo(401);
        assertThat(given().redirects().follow(false).cookie("ds01-session", cookie).get("/user/ds01alice/x/lab")
                .statusCode()).as("and the Jupyter proxy").isIn(302, 401, 403);
        assertThat(other.get("/account").statusCode()).as("another sign-in of the same user goes on").isEqualTo(200);
    }

    @Test
    void aCookiePlantedBeforeSignInIsNeverTheSession() {
        PortalBrowser victim = new PortalBrowser();
        PortalBrowser attacker = new PortalBrowser();
        assertThat(attacker.signIn("ds01bob", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        String planted = attacker.cookies.get("ds01-session");
        String form = victim.get("/signin").asString();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(form);
        assertThat(token.find()).as(form).isTrue();
        victim.cookies.put("ds01-session", planted); // set by a page that could write cookies for the portal's host
        ExtractableResponse<Response> signIn = victim.request().contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token.group(1)).formParam("username", "ds01alice")
                .formParam("password", PortalBrowser.PASSWORD).formParam("next", "/account").post("/signin").then()
                .extract();
        assertThat(signIn.statusCode()).as(signIn.asString()).isEqualTo(303);
        victim.cookies.put("ds01-session", signIn.cookie("ds01-session"));
        assertThat(victim.cookies.get("ds01-session")).as("sign-in issues a fresh session").isNotEqualTo(planted);
        assertThat(victim.get("/account").asString()).contains("id=\"account-username\">ds01alice<");
        assertThat(attacker.get("/account").asString()).as("the planted cookie is still only bob's")
                .contains("id=\"account-username\">ds01bob<");

        victim.cookies.put("ds01-session", "forged-" + planted.substring(7));
        assertThat(victim.get("/account").statusCode()).as("a cookie the portal did not seal").isEqualTo(302);
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
