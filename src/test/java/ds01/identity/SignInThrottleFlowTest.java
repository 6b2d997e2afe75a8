package ds01.identity;

import ds01.events.AuditEvent;
import ds01.testing.StrictSignInThrottle;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** After too many wrong passwords even the right one is refused for a while, and the refusal is audited. */
@QuarkusTest
@TestProfile(StrictSignInThrottle.class)
class SignInThrottleFlowTest {

    @Test
    void guessingLocksTheNameOutAndSaysForHowLong() {
        PortalBrowser browser = new PortalBrowser();
        for (int i = 0; i < 3; i++) {
            assertThat(browser.signIn("ds01bob", "guess-" + i).statusCode()).isEqualTo(401);
        }
        ExtractableResponse<Response> refused = browser.signIn("ds01bob", PortalBrowser.PASSWORD);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.asString()).contains("Too many failed sign-ins").contains("Try again in 15 minute(s)");
        assertThat(browser.cookies).doesNotContainKey("ds01-session");
        long throttled = QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "actor = ?1 and action = ?2", "ds01bob", "sign-in.throttled"));
        assertThat(throttled).isGreaterThanOrEqualTo(1);
        String details = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "actor = ?1 order by id desc", "ds01bob").list().stream().map(e -> e.action + " " + e.detail)
                .reduce("", String::concat));
        assertThat(details).as("no password in the audit log").doesNotContain("guess-").doesNotContain(PortalBrowser.PASSWORD);
        assertThat(browser.signIn("ds01alice", PortalBrowser.PASSWORD).statusCode()).as("others are not affected")
                .isEqualTo(303);
    }
}
