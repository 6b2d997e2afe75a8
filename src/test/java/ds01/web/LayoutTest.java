package ds01.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** Every page shares one layout whose assets come from webjars served by the portal itself. */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class LayoutTest {

    @Test
    void homePageHasNavigationFlashAreaAndLocalAssets() {
        String page = given().accept(ContentType.HTML).get("/").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("aria-label=\"Main navigation\"", "id=\"flash\"", "<title>Home · DS01 Portal</title>");
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+\\.(?:js|css))\"").matcher(page);
        int count = 0;
        while (assets.find()) {
            String asset = assets.group(1);
            assertThat(asset).as("no CDN: assets are served by the portal").startsWith("/");
            given().get(asset).then().statusCode(200);
            count++;
        }
        assertThat(count).as("htmx, Bootstrap css+js, icons, portal css").isGreaterThanOrEqualTo(5);
        assertThat(page).contains("/webjars/htmx.org/dist/htmx.min.js");
        assertThat(page).doesNotContainPattern("(?:src|href)=\"https?://");
    }

    @Test
    void flashMessageShowsOnceAfterARedirect() {
        var response = given().accept(ContentType.HTML).cookie("ds01-flash", "success%7CImage+built")
                .get("/").then().statusCode(200).extract();
        assertThat(response.headers().getValues("Set-Cookie")).anyMatch(c -> c.startsWith("ds01-flash=;"));
        String withFlash = response.asString();
        assertThat(withFlash).contains("alert-success").contains("Image built");
        String without = given().accept(ContentType.HTML).get("/").then().statusCode(200).extract().asString();
        assertThat(without).doesNotContain("Image built");
    }

    @Test
    void statusPageListsEachPart() {
        given().accept(ContentType.HTML).get("/status").then().statusCode(200)
                .body(containsString("Database"))
                .body(containsString("GPU inventory (nvidia-smi)"));
    }
}
