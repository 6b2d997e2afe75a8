package ds01.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import ds01.engine.EngineConnection;
import ds01.testing.FormPost;
import ds01.testing.TestCatalogue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image form in a user's hands: four steps on one page, a review of every package and the Dockerfile, back
 * to the steps with everything kept, a refusal that keeps what was typed, the build page, the list.
 */
@QuarkusTest
@TestProfile(TestCatalogue.class)
class ImagePagesTest {

    private static ExtractableResponse<Response> post(String action, Map<String, String> fields) {
        return postFrom("/images/new", action, fields);
    }

    private static ExtractableResponse<Response> postFrom(String pagePath, String action, Map<String, String> fields) {
        return FormPost.from(pagePath, action, fields);
    }

    private static Map<String, String> form(String extra) {
        Map<String, String> fields = new HashMap<>(Map.of("name", "pageimage", "project", "imgpages", "base",
                BuildsTest.BASE, "jupyter", "default", "dataScience", "custom", "dataSciencePackages", "pandas\npolars",
                "useCase", "rl", "extra", extra, "apt", "libgl1"));
        fields.put("requirements", "");
        return fields;
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void theFourStepsReviewAndBuild() throws Exception {
        String page = given().accept("text/html").get("/images/new").then().statusCode(200).extract().asString();
        assertThat(page).contains("Step 1: framework", "Step 2: Jupyter", "Step 3: data science", "Step 4: use case",
                "<optgroup label=\"PyTorch (CPU only)\">", "value=\"pytorch-2.8.0-cpu\"",
                "the build installs torch==2.8.0 from https://download.pytorch.org/whl/cpu",
                "Reinforcement learning: gymnasium stable-baselines3", "enctype=\"multipart/form-data\"");

        String review = post("/images/review", form("Pandas>=2.2")).asString();
        assertThat(review).contains("ds01-2001/pageimage:latest", "<strong>Step 3: data science</strong>: "
                + "<code>Pandas&gt;=2.2</code>, <code>polars</code>", "gymnasium", "FROM " + BuildsTest.BASE,
                "RUN pip install --no-cache-dir &quot;jupyterlab&quot;");

        String back = post("/images/edit", form("Pandas>=2.2")).asString();
        assertThat(back).contains("value=\"pageimage\"", "pandas\npolars", "id=\"dataScience-custom\" value=\"custom\" checked");

        ExtractableResponse<Response> refused = post("/images/review", form("numpy; rm -rf /"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("id=\"form-error\"", "is not a pip package", "value=\"pageimage\"");

        ExtractableResponse<Response> started = post("/images/build", form("einops"));
        assertThat(started.statusCode()).isEqualTo(303);
        String location = started.header("Location").replaceFirst("^https?://[^/]+", "");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(given().accept("text/html").get(location).then().statusCode(200).extract().asString())
                .contains("data-source=\"/api/images/builds/" + id + "/log\"", "/js/build-log.js");
        Instant deadline = Instant.now().plusSeconds(300);
        String state = "running";
        while (state.equals("running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            state = given().get("/api/images/builds/" + id).then().extract().path("state");
        }
        assertThat(state).isEqualTo("succeeded");
        assertThat(given().accept("text/html").get("/images").then().statusCode(200).extract().asString())
                .contains("ds01-2001/pageimage:latest", "imgpages", "text-bg-success", "polars", " MiB",
                        "action=\"/images/pageimage/delete\"");
        // update from the page: tick a package off, add one; the rebuild's page says what it does
        assertThat(given().accept("text/html").get("/images/pageimage/update").then().statusCode(200).extract().asString())
                .contains("remove <code>polars</code>", "<legend class=\"card-header h6\">Step 3: data science</legend>");
        ExtractableResponse<Response> refusedUpdate = postFrom("/images/pageimage/update", "/images/pageimage/update",
                Map.of("add", "rich; id"));
        assertThat(refusedUpdate.statusCode()).isEqualTo(400);
        assertThat(refusedUpdate.asString()).contains("id=\"form-error\"", "is not a pip package", "rich; id");
        ExtractableResponse<Response> updated = postFrom("/images/pageimage/update", "/images/pageimage/update",
                Map.of("add", "rich", "remove", "polars"));
        assertThat(updated.statusCode()).as(updated.asString()).isEqualTo(303);
        assertThat(updated.header("Location")).contains("/images/builds/");
        assertThat(java.net.URLDecoder.decode(updated.cookie("ds01-flash"), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Rebuilding ds01-2001/pageimage:latest");
        String rebuild = updated.header("Location").substring(updated.header("Location").lastIndexOf('/') + 1);
        deadline = Instant.now().plusSeconds(300);
        state = "running";
        while (state.equals("running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            state = given().get("/api/images/builds/" + rebuild).then().extract().path("state");
        }
        assertThat(state).isEqualTo("succeeded");
        assertThat(given().accept("text/html").get("/images").then().extract().asString()).contains("rich")
                .doesNotContain("polars");

        ExtractableResponse<Response> deleted = postFrom("/images", "/images/pageimage/delete", Map.of());
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.cookie("ds01-flash")).contains("deleted");
        try (DockerClient docker = EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST",
                EngineConnection.DEFAULT_HOST))) {
            docker.removeImageCmd("ds01-2001/pageimage:latest").withForce(true).exec();
        } catch (NotFoundException gone) {
            // nothing to clean
        }
    }

    /** The form as the browser sends it with a file chosen: multipart, the CSRF token a part like the rest. */
    private static ExtractableResponse<Response> upload(byte[] requirements) {
        ExtractableResponse<Response> page = given().accept("text/html").get("/images/new").then().statusCode(200).extract();
        io.restassured.specification.RequestSpecification request = given().accept("text/html")
                .cookie("csrf-token", page.cookie("csrf-token"))
                .multiPart("csrf-token", page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value"));
        form("").forEach(request::multiPart);
        return request.multiPart("requirementsFile", "requirements.txt", requirements, "text/plain")
                .post("/images/review").then().extract();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void anUploadedRequirementsFileReplacesThePresetAndABadOneIsRefusedWithItsLine() {
        ExtractableResponse<Response> review = upload("# thesis\ntransformers==4.44.2\naccelerate  # speed\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(review.statusCode()).as(review.asString()).isEqualTo(200);
        assertThat(review.asString()).contains("<code>transformers==4.44.2</code>", "<code>accelerate</code>")
                .doesNotContain("<code>gymnasium</code>")
                .as("carried on to the build as pasted text").contains("name=\"requirements\" value=\"# thesis");

        ExtractableResponse<Response> option = upload("numpy\n-e git+https://example.org/x.git\n".getBytes());
        assertThat(option.statusCode()).isEqualTo(400);
        assertThat(option.asString()).contains("id=\"form-error\"", "line 2", "is an option");

        ExtractableResponse<Response> big = upload(("numpy==1.26.4  # " + "x".repeat(100) + "\n").repeat(700).getBytes());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.asString()).contains("id=\"form-error\"", "64 KiB at most", "value=\"pageimage\"");

        ExtractableResponse<Response> binary = upload(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(binary.statusCode()).isEqualTo(400);
        assertThat(binary.asString()).contains("is not a text file");
    }

    @jakarta.inject.Inject
    Builds builds;

    @jakarta.inject.Inject
    Recipes recipes;

    @jakarta.inject.Inject
    ds01.identity.HostAccounts accounts;

    @Test
    @TestSecurity(user = "ds01bob", roles = "user")
    void anotherUsersBuildIsNotFound() throws Exception {
        Builds.Job alices = builds.start(accounts.find("ds01alice").orElseThrow(), recipes.from(new ImageApi.ImageRequest(
                "private", "imgpages", BuildsTest.BASE, java.util.List.of(), java.util.List.of(), "custom",
                java.util.List.of(), null, java.util.List.of())));
        try {
            given().accept("text/html").get("/images/builds/" + alices.id).then().statusCode(404);
            given().get("/api/images/builds/" + alices.id).then().statusCode(404);
            given().accept("text/event-stream").get("/api/images/builds/" + alices.id + "/log").then().statusCode(404);
            given().delete("/api/images/builds/" + alices.id).then().statusCode(404);
            given().accept("text/html").get("/images/builds/not-a-build").then().statusCode(404);
        } finally {
            builds.cancel(alices.id, java.util.Optional.empty());
            Instant deadline = Instant.now().plusSeconds(120);
            while (!alices.finished() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
        }
        assertThat(alices.finished()).isTrue();
    }
}
