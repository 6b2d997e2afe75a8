package ds01.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Errors say what went wrong in plain words: a styled page for people, JSON for programs. */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class ErrorPagesTest {

    @Test
    void unknownPageGetsAStyledPageInPlainWords() {
        given().accept(ContentType.HTML).get("/no/such/page").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Nothing here"))
                .body(containsString("There is no page at this address."))
                .body(containsString("Back to the portal"))
                .body(containsString("aria-label=\"Main navigation\""))
                .body(not(containsString("Unable to find matching")));
    }

    @Test
    void apiErrorsAreJson() {
        given().accept(ContentType.HTML).get("/api/no-such-thing").then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("status", equalTo(404))
                .body("error", equalTo("Not Found"))
                .body("message", equalTo("There is no page at this address."));
    }

    @Test
    void wrongMethodIsExplained() {
        given().accept(ContentType.HTML).delete("/status").then().statusCode(405)
                .body(containsString("That action is not available here"));
    }
}
