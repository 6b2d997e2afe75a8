package ds01.identity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Personal API tokens: made on the account page, shown once, accepted by the API until revoked or expired. */
@QuarkusTest
class ApiTokenTest {

    private static String createToken(PortalBrowser browser, String name, String days) {
        String page = browser.post("/account", "/account/tokens", Map.of("name", name, "days", days)).asString();
        Matcher m = Pattern.compile("id=\"new-token\">(ds01_[A-Za-z0-9_-]+)<").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }

    private static int apiStatus(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/limits/ds01bob").statusCode();
    }

    @Test
    void validRevokedAndExpiredTokens() {
        PortalBrowser bob = new PortalBrowser();
        assertThat(bob.signIn("ds01bob", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        String token = createToken(bob, "laptop", "");
        assertThat(apiStatus(token)).isEqualTo(200);
        assertThat(given().header("Authorization", "Bearer " + token).get("/api/limits/ds01alice").statusCode())
                .as("a token acts only for its owner").isEqualTo(403);
        String account = bob.get("/account").asString();
        assertThat(account).as("shown once").doesNotContain(token).contains(token.substring(0, 10) + "…");

        long id = QuarkusTransaction.requiringNew().call(() -> ApiToken.byHash(ApiTokens.hash(token)).orElseThrow().id);
        assertThat(bob.post("/account", "/account/tokens/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(303);
        assertThat(apiStatus(token)).isEqualTo(401);

        String shortLived = createToken(bob, "ci", "1");
        assertThat(apiStatus(shortLived)).isEqualTo(200);
        QuarkusTransaction.requiringNew().run(() -> ApiToken.byHash(ApiTokens.hash(shortLived)).orElseThrow()
                .expiresAt = OffsetDateTime.now().minusMinutes(1));
        assertThat(apiStatus(shortLived)).isEqualTo(401);
        assertThat(apiStatus("ds01_made-up")).isEqualTo(401);
    }

    @Test
    void someoneElsesTokenCannotBeRevokedAndBadNamesAreRefused() {
        PortalBrowser bob = new PortalBrowser();
        bob.signIn("ds01bob", PortalBrowser.PASSWORD);
        String token = createToken(bob, "desktop", "30");
        long id = QuarkusTransaction.requiringNew().call(() -> ApiToken.byHash(ApiTokens.hash(token)).orElseThrow().id);
        PortalBrowser alice = new PortalBrowser();
        alice.signIn("ds01alice", PortalBrowser.PASSWORD);
        assertThat(alice.post("/account", "/account/tokens/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(404);
        assertThat(apiStatus(token)).isEqualTo(200);
        assertThat(bob.post("/account", "/account/tokens", Map.of("name", "<script>", "days", "")).statusCode())
                .isEqualTo(400);
        assertThat(bob.post("/account", "/account/tokens", Map.of("name", "ok", "days", "-3")).statusCode())
                .isEqualTo(400);
    }
}
