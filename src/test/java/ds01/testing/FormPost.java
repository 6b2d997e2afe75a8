package ds01.testing;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Posts a form the way the browser does: with the CSRF token of the page it came from, not following redirects. */
public final class FormPost {

    private FormPost() {
    }

    /** Opens {@code page} (it must answer 200 and carry a form), then posts {@code fields} to {@code action}. */
    public static ExtractableResponse<Response> from(String page, String action, Map<String, String> fields) {
        ExtractableResponse<Response> shown = given().accept("text/html").get(page).then().statusCode(200).extract();
        String token = shown.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        return given().accept("text/html").redirects().follow(false).cookie("csrf-token", shown.cookie("csrf-token"))
                .formParam("csrf-token", token).formParams(fields).post(action).then().extract();
    }
}
