package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.FormPost;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The containers page in a user's hands (form posts with the page's CSRF token, as a browser sends them): the
 * deploy form with the quota and the machine's MIG profiles, the deploy's steps page until it ends, the list with
 * its actions and usage, the output page; and another user's container, which is not found.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
class ContainerPagesTest {

    @Inject
    AgroalDataSource dataSource;

    final DockerClient docker = TestMachine.engine();

    /** Posts a form of {@code page} the way the browser does, with the page's CSRF token. */
    private static ExtractableResponse<Response> postForm(String page, String action, Map<String, String> fields) {
        return FormPost.from(page, action, fields);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aUserDeploysFromTheFormWatchesTheStepsAndFindsTheContainerWithItsActions() throws Exception {
        String page = given().accept("text/html").get("/containers").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"no-containers\"", "<option>ds01-test/base:latest</option>",
                "value=\"profile:1g.10gb\"", "0 of 1 GPU slots held, 1 left");

        ExtractableResponse<Response> started = postForm("/containers", "/containers",
                Map.of("project", "webtest", "image", "ds01-test/base:latest", "gpus", "profile:1g.10gb"));
        assertThat(started.statusCode()).isEqualTo(303);
        String progress = started.header("Location").replaceFirst("^https?://[^/]+", "");
        assertThat(progress).startsWith("/containers/deploys/");
        String steps = "";
        for (int i = 0; i < 60 && !steps.contains("deploy-outcome"); i++) {
            steps = given().accept("text/html").get(progress + "/steps").then().statusCode(200).extract().asString();
            if (!steps.contains("deploy-outcome")) {
                assertThat(steps).as("still working: the page polls again").contains("hx-trigger=\"every 1s\"");
                Thread.sleep(250);
            }
        }
        assertThat(steps).contains("webtest._.2001 is running", "Create the container", "Start the container")
                .doesNotContain("hx-trigger");
        assertThat(steps).as("each step's state, styled by it").contains("step-done",
                "<span class=\"badge text-bg-success\">done</span>").doesNotContain("text-bg-secondary");

        String list = given().accept("text/html").get("/containers").then().statusCode(200).extract().asString();
        assertThat(list).contains("webtest._.2001", "0.0", "action=\"/containers/", "/stop\"", "/retire\"");
        long id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from container where name = 'webtest._.2001' and retired_at is null")) {
            rs.next();
            id = rs.getLong(1);
        }
        assertThat(given().accept("text/html").get("/containers/" + id + "/usage").then().statusCode(200).extract()
                .asString()).contains("CPU", "MiB");
        given().accept("text/html").get("/containers/" + id + "/logs").then().statusCode(200);

        assertThat(postForm("/containers", "/containers/" + id + "/stop", Map.of()).statusCode()).isEqualTo(303);
        assertThat(given().accept("text/html").get("/containers").then().statusCode(200).extract().asString())
                .as("a stopped container offers Start").contains("text-bg-secondary\">stopped</span>",
                        "/containers/" + id + "/start\"").doesNotContain("/containers/" + id + "/stop\"");

        ExtractableResponse<Response> retired = postForm("/containers", "/containers/" + id + "/retire", Map.of());
        assertThat(retired.statusCode()).isEqualTo(303);
        assertThat(retired.cookie("ds01-flash")).contains("retired");
        assertThat(given().accept("text/html").get("/containers").then().extract().asString()).doesNotContain("webtest._.2001");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aFailedDeployShowsWhichStepFailedAndAFormValueTheMenuDoesNotOfferIsRefused() {
        ExtractableResponse<Response> started = postForm("/containers", "/containers",
                Map.of("project", "Bad Name", "image", "ds01-test/base:latest", "gpus", "none"));
        String progress = started.header("Location").replaceFirst("^https?://[^/]+", "");
        String steps = "";
        for (int i = 0; i < 40 && !steps.contains("deploy-outcome"); i++) {
            steps = given().accept("text/html").get(progress + "/steps").then().extract().asString();
        }
        assertThat(steps).contains("Check the project and image", "is not a project name", "alert-danger",
                "step-failed", "<span class=\"badge text-bg-danger\">failed</span>");

        assertThat(postForm("/containers", "/containers", Map.of("project", "x", "image", "ds01-test/base:latest",
                "gpus", "all-of-them")).statusCode()).isEqualTo(400);
    }

    @Test
    @TestSecurity(user = "ds01bob", roles = "user")
    void anotherUsersContainerAndDeployAreNotFound() throws Exception {
        long alices = TestDatabase.alicesSecretContainer(dataSource);
        assertThat(given().accept("text/html").get("/containers").then().statusCode(200).extract().asString())
                .doesNotContain("secret._.2001");
        given().accept("text/html").get("/containers/" + alices + "/logs").then().statusCode(404);
        given().accept("text/html").get("/containers/" + alices + "/usage").then().statusCode(404);
        given().accept("text/html").get("/containers?everyone=true").then().statusCode(200);
        assertThat(given().accept("text/html").get("/containers?everyone=true").then().extract().asString())
                .as("only admins see everyone's").doesNotContain("secret._.2001");
        assertThat(postForm("/containers", "/containers/" + alices + "/retire", Map.of()).statusCode()).isEqualTo(404);
        given().accept("text/html").get("/containers/deploys/not-a-job").then().statusCode(404);
    }
}
