package ds01.identity;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** Without DS01_OIDC_ENABLED the single sign-on is off: no redirect to any provider, no error, plain answers. */
@QuarkusTest
class SsoOffTest {

    @Test
    void anAnonymousVisitorIsSentToThePasswordSignIn() {
        String location = given().redirects().follow(false).accept("text/html").get("/signin/sso?next=/account")
                .then().log().ifValidationFails().statusCode(302).extract().header("Location");
        assertThat(location).startsWith("/signin?");
    }

    /** The sso permission is switched off with the tenant, so the resource itself answers. */
    @Test
    void aSignedInUserIsToldItIsNotSetUp() {
        PortalBrowser browser = new PortalBrowser();
        assertThat(browser.signIn("ds01alice", PortalBrowser.PASSWORD).statusCode()).isEqualTo(303);
        browser.request().get("/signin/sso").then().log().ifValidationFails().statusCode(404)
                .body(containsString("not set up"));
    }

    @Test
    void theSignInPageDoesNotOfferIt() {
        given().accept("text/html").get("/signin").then().statusCode(200)
                .body(not(containsString("/signin/sso")));
    }
}
