package ds01.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import ds01.engine.EngineConnection;
import ds01.testing.TestCatalogue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Real builds through the portal on the real engine, from the test catalogue's base (a minimal Debian whose pip
 * and apt-get record what they are asked for): the recorded packages, labels and user of the built image, the
 * log as server-sent events, the per-user build limit, cancel, delete, and injections refused.
 */
@QuarkusTest
@TestProfile(TestCatalogue.class)
class BuildsTest {

    static final String BASE = "ds01-test/pybase:latest";
    DockerClient docker;

    @BeforeEach
    void engine() {
        docker = EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST", EngineConnection.DEFAULT_HOST));
        given().contentType(ContentType.JSON); // warm RestAssured's config
    }

    @AfterEach
    void removeImages() throws Exception {
        for (String ref : List.of("ds01-2001/cvimage:latest", "ds01-2001/slow:latest", "ds01-2001/cputorch:latest")) {
            try {
                docker.removeImageCmd(ref).withForce(true).exec();
            } catch (NotFoundException gone) {
                // not built
            }
        }
        docker.close();
    }

    private static ExtractableResponse<Response> build(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/images").then().extract();
    }

    private static String awaitEnd(String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(300);
        String state = "running";
        while (state.equals("running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            state = given().get("/api/images/builds/" + id).then().statusCode(200).extract().path("state");
        }
        return state;
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aCpuOnlyPyTorchRowInstallsItsFrameworkFromItsIndexFirstAndKeepsItThroughAnUpdate() throws Exception {
        given().get("/api/images/catalogue").then().body("find { it.framework == 'Pytorch' }.indexUrl",
                equalTo("https://download.pytorch.org/whl/cpu"));
        ExtractableResponse<Response> started = build(Map.of("name", "cputorch", "project", "imgproj", "base",
                "pytorch-2.8.0-cpu", "jupyter", List.of(), "dataScience", List.of("pandas"), "useCase", "custom",
                "extra", List.of("einops")));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        assertThat(awaitEnd(started.path("id"))).isEqualTo("succeeded");
        assertThat(run("ds01-2001/cputorch:latest", "cat /var/log/ds01-stand-in/pip.log")).startsWith(
                "pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.8.0\n"
                + "pip install --no-cache-dir pandas\npip install --no-cache-dir einops\n");
        assertThat(docker.inspectImageCmd("ds01-2001/cputorch:latest").exec().getConfig().getLabels())
                .containsEntry("ds01.framework", "Pytorch 2.8.0");

        ExtractableResponse<Response> update = given().contentType(ContentType.JSON)
                .body(Map.of("remove", List.of("einops"))).post("/api/images/cputorch/update").then().extract();
        assertThat(update.statusCode()).as(update.asString()).isEqualTo(202);
        assertThat(awaitEnd(update.path("build.id"))).isEqualTo("succeeded");
        assertThat(run("ds01-2001/cputorch:latest", "cat /var/log/ds01-stand-in/pip.log"))
                .contains("--index-url https://download.pytorch.org/whl/cpu torch==2.8.0").doesNotContain("einops");
        given().delete("/api/images/cputorch").then().statusCode(204);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aBuildThroughThePortalInstallsWhatTheStepsChoseAsTheUserAndStreamsItsLog() throws Exception {
        given().get("/api/images/catalogue").then().statusCode(200).body("image", hasItem(BASE));
        ExtractableResponse<Response> started = build(Map.of("name", "cvimage", "project", "imgproj", "base", BASE,
                "useCase", "cv", "extra", List.of("einops>=0.7", "Timm"), "apt", List.of("libgl1")));
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String id = started.path("id");
        assertThat((String) started.path("dockerfile")).contains("FROM " + BASE);

        // the whole log as a server-sent event stream: it ends when the build does
        String events = given().accept("text/event-stream").get("/api/images/builds/" + id + "/log").then()
                .statusCode(200).extract().asString();
        assertThat(events).contains("data:Step 1/", "data:[ds01] built ds01-2001/cvimage:latest");
        assertThat(awaitEnd(id)).isEqualTo("succeeded");
        io.micrometer.core.instrument.Timer builds = metrics.find("ds01.image.build.duration")
                .tag("outcome", "succeeded").timer();
        assertThat(builds).as("ds01_image_build_duration_seconds{outcome=\"succeeded\"}").isNotNull();
        assertThat(builds.count()).isPositive();
        assertThat(builds.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isPositive();
        given().get("/api/images/builds/" + id).then().body("step", equalTo(given().get("/api/images/builds/" + id)
                .then().extract().path("steps")));

        String inside = run("ds01-2001/cvimage:latest", "cat /var/log/ds01-stand-in/pip.log /var/log/ds01-stand-in/apt-get.log;"
                + " id -un; id -u; pwd; echo $HOME");
        assertThat(inside).contains("pip install --no-cache-dir jupyterlab ipykernel ipywidgets notebook\n")
                .contains("pip install --no-cache-dir pandas scipy scikit-learn matplotlib seaborn\n")
                .contains("pip install --no-cache-dir timm albumentations opencv-python-headless kornia ultralytics einops>=0.7\n")
                .contains("apt-get install -y --no-install-recommends libgl1")
                .contains("ds01alice\n2001\n/workspace\n/workspace\n");
        assertThat(docker.inspectImageCmd("ds01-2001/cvimage:latest").exec().getConfig().getLabels())
                .containsEntry("ds01.managed", "true").containsEntry("ds01.project", "imgproj")
                .containsEntry("ds01.owner", "ds01alice").containsEntry("ds01.has_user_setup", "true")
                .containsEntry("ds01.user.uid", "2001").containsEntry("ds01.framework", "Debian bookworm-test");
        Path dockerfile = Path.of("/home/ds01alice/workspace/imgproj/Dockerfile");
        assertThat(Files.readString(dockerfile)).contains("\"einops>=0.7\"");
        assertThat(Files.getAttribute(dockerfile, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(2001);

        given().get("/api/images").then().statusCode(200).body("find { it.name == 'cvimage' }.state", equalTo("ready"))
                .body("find { it.name == 'cvimage' }.sizeBytes", org.hamcrest.Matchers.greaterThan(1_000_000))
                .body("find { it.name == 'cvimage' }.packages", hasItem("einops>=0.7"));

        // update: add and remove packages, rebuild; the Dockerfile's packages section is all that changes
        ExtractableResponse<Response> update = given().contentType(ContentType.JSON)
                .body(Map.of("add", List.of("rich"), "remove", List.of("kornia"))).post("/api/images/cvimage/update")
                .then().extract();
        assertThat(update.statusCode()).as(update.asString()).isEqualTo(202);
        assertThat(awaitEnd(update.path("build.id"))).isEqualTo("succeeded");
        assertThat(run("ds01-2001/cvimage:latest", "cat /var/log/ds01-stand-in/pip.log")).contains("rich")
                .doesNotContain("kornia");
        assertThat(Files.readString(dockerfile)).contains("\"rich\"").doesNotContain("kornia");
        given().contentType(ContentType.JSON).body(Map.of("remove", List.of("tensorflow")))
                .post("/api/images/cvimage/update").then().statusCode(400);
        given().delete("/api/images/cvimage").then().statusCode(204);
        assertThatThrownBy(() -> docker.inspectImageCmd("ds01-2001/cvimage:latest").exec())
                .isInstanceOf(NotFoundException.class);
        assertThat(dockerfile).as("the Dockerfile stays").exists();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void oneBuildAtATimePerUserAndCancelStopsIt() throws Exception {
        String id = build(Map.of("name", "slow", "project", "imgproj", "base", BASE, "useCase", "nlp",
                "apt", List.of("git", "curl"))).path("id");
        ExtractableResponse<Response> second = build(Map.of("name", "other", "project", "imgproj", "base", BASE));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat((String) second.path("message")).contains("at most 1 at once");

        given().delete("/api/images/builds/" + id).then().statusCode(204);
        assertThat(awaitEnd(id)).isEqualTo("cancelled");
        assertThatThrownBy(() -> docker.inspectImageCmd("ds01-2001/slow:latest").exec())
                .isInstanceOf(NotFoundException.class);
        given().delete("/api/images/builds/" + id).then().statusCode(409);
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void injectionsAndOptionsAreRefusedBeforeAnythingIsWrittenOrBuilt() {
        for (Map<String, Object> bad : List.of(
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "extra", List.of("numpy; rm -rf /")),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "extra", List.of("$(id)")),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "extra", List.of("numpy\nRUN id")),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "apt", List.of("vim && curl x")),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "requirements",
                        "numpy\n--extra-index-url https://evil/simple\n"),
                Map.<String, Object>of("name", "Inj", "project", "imgproj", "base", BASE),
                Map.<String, Object>of("name", "inj", "project", "../etc", "base", BASE),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", "busybox:latest"),
                Map.<String, Object>of("name", "inj", "project", "imgproj", "base", BASE, "useCase", "crypto"))) {
            given().contentType(ContentType.JSON).body(bad).post("/api/images").then().statusCode(400)
                    .body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "inj", "project", "imgproj", "base", BASE,
                "requirements", "numpy\n--extra-index-url https://evil/simple\n")).post("/api/images").then()
                .body("message", containsString("line 2"));
        assertThat(Path.of("/home/ds01alice/workspace/inj")).doesNotExist();
    }

    private String run(String image, String script) throws Exception {
        String id = docker.createContainerCmd(image).withCmd("sh", "-c", script).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder();
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
            return out.toString();
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
