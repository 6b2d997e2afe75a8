package ds01.projects;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A new user's first pages: what DS01's user-setup checked, each step found on disk and in the database. */
@QuarkusTest
@TestSecurity(user = "ds01bob", roles = "user")
class OnboardingTest {

    static final Path HOME = Path.of("/home/ds01bob");

    @BeforeEach
    @AfterEach
    void freshHome() throws Exception {
        for (String p : new String[] {"workspace/firststeps", ".ssh"}) {
            new ProcessBuilder("rm", "-rf", HOME.resolve(p).toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theChecklistFollowsWhatTheUserHasDone() throws Exception {
        boolean hadProjects;
        try (var entries = Files.list(HOME.resolve("workspace"))) {
            hadProjects = entries.findAny().isPresent();
        } catch (java.nio.file.NoSuchFileException none) {
            hadProjects = false;
        }
        String before = given().accept("text/html").get("/welcome").then().statusCode(200).extract().asString();
        assertThat(before).contains("id=\"step-ssh-key\" data-done=\"false\"", "no key registered", "href=\"/account/ssh\"",
                "id=\"step-image\" data-done=\"false\"");
        if (!hadProjects) {
            assertThat(before).contains("id=\"step-workspace\" data-done=\"false\"", "href=\"/projects/new\"");
        }
        assertThat(given().accept("text/html").get("/").then().statusCode(200).extract().asString())
                .contains("id=\"getting-started\"", "href=\"/welcome\"");

        given().contentType(ContentType.JSON).body(Map.of("name", "firststeps", "layout", "blank")).post("/api/projects")
                .then().statusCode(201);
        Path keyDir = Files.createTempDirectory("ds01-onboarding");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                keyDir.resolve("id").toString()).start();
        assertThat(keygen.waitFor()).isZero();
        var form = given().accept("text/html").get("/projects/new").then().extract();
        String token = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().accept("text/html").redirects().follow(false).cookie("csrf-token", form.cookie("csrf-token"))
                .formParam("csrf-token", token).formParam("key", Files.readString(keyDir.resolve("id.pub")))
                .post("/account/ssh/keys").then().statusCode(303);

        String after = given().accept("text/html").get("/welcome").then().statusCode(200).extract().asString();
        assertThat(after).contains("id=\"step-workspace\" data-done=\"true\"", "firststeps",
                "id=\"step-ssh-key\" data-done=\"true\"", "1 key(s) registered", "id=\"step-image\" data-done=\"false\"",
                "href=\"/images/new?project=");
    }
}
