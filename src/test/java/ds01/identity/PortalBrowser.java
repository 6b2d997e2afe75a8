package ds01.identity;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** A browser for RestAssured tests: keeps cookies, fetches the CSRF token from forms, signs in through the form. */
final class PortalBrowser {

    static final String PASSWORD = "ds01-test-password";

    final Map<String, String> cookies = new HashMap<>();

    RequestSpecification request() {
        return given().redirects().follow(false).accept("text/html").cookies(cookies);
    }

    ExtractableResponse<Response> get(String path) {
        return keep(request().get(path).then().extract());
    }

    /** Posts a form the way the page would, with the CSRF token the page carries. */
    ExtractableResponse<Response> post(String formPage, String path, Map<String, String> form) {
        String page = get(formPage).asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on " + formPage + ":\n" + page);
        }
        return keep(request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", m.group(1))
                .formParams(form).post(path).then().extract());
    }

    ExtractableResponse<Response> signIn(String username, String password) {
        return post("/signin", "/signin", Map.of("username", username, "password", password, "next", "/account"));
    }

    private ExtractableResponse<Response> keep(ExtractableResponse<Response> response) {
        response.detailedCookies().asList().forEach(c -> {
            if (c.getMaxAge() == 0 || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        return response;
    }
}
