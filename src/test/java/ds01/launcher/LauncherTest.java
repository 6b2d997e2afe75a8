package ds01.launcher;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Ports;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimitsWithPythonBase;
import ds01.testing.FormPost;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher on the real engine: a project's card follows its container; "Open Jupyter" starts Jupyter (the
 * base test image's stand-in jupyter-lab, which serves like it) as the user on a port published on 127.0.0.1
 * only, waits for it, and sends the browser through the proxy, which never shows the token.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimitsWithPythonBase.class)
class LauncherTest {

    @Inject
    AgroalDataSource dataSource;

    final DockerClient docker = TestMachine.engine();

    private static long deploy(String project, String image) {
        ExtractableResponse<Response> r = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "image", image, "gpus", 0)).post("/api/containers").then().extract();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath().getLong("containerId");
    }

    private static ExtractableResponse<Response> postFromLauncher(String action) {
        // any page with a form carries the CSRF token; the launcher has none without projects
        return FormPost.from("/projects/new", action, java.util.Map.of());
    }

    private String run(String containerName, String script) throws Exception {
        String exec = docker.execCreateCmd(containerName).withCmd("sh", "-c", script).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    private String token(long containerId) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select token from jupyter_session where container_id = " + containerId)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void openJupyterStartsItAsTheUserBehindTheProxyAndTheCardFollowsTheContainer() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "launchproj")).post("/api/projects");
        String before = given().accept("text/html").get("/launcher").then().statusCode(200).extract().asString();
        assertThat(before).contains("id=\"project-launchproj\"", "data-container-state=\"none\"",
                "href=\"/images/new?project=launchproj\"");

        long id = deploy("launchproj", "ds01-test/base:latest");
        String card = given().accept("text/html").get("/launcher/cards").then().statusCode(200).extract().asString();
        assertThat(card).contains("data-container-state=\"running\"", "action=\"/launcher/containers/" + id + "/jupyter\"",
                "Open Jupyter").doesNotContain("<html");

        Ports.Binding[] published = docker.inspectContainerCmd("launchproj._.2001").exec().getNetworkSettings().getPorts()
                .getBindings().get(ExposedPort.tcp(8888));
        assertThat(published).hasSize(1);
        assertThat(published[0].getHostIp()).as("Jupyter's port on loopback only").isEqualTo("127.0.0.1");

        ExtractableResponse<Response> opened = postFromLauncher("/launcher/containers/" + id + "/jupyter");
        assertThat(opened.statusCode()).as(opened.asString()).isEqualTo(303);
        assertThat(opened.header("Location")).endsWith("/user/ds01alice/launchproj/");
        String token = token(id);
        assertThat(token).hasSize(64);

        String lab = given().get("/user/ds01alice/launchproj/lab/").then().statusCode(200).extract().asString();
        assertThat(lab).contains("stand-in JupyterLab as uid 2001", "\"baseUrl\": \"/user/ds01alice/launchproj/\"")
                .doesNotContain(token);
        assertThat(run("launchproj._.2001", "cat /tmp/ds01-jupyter.args"))
                .contains("--ServerApp.base_url=/user/ds01alice/launchproj/", "--port=8888").doesNotContain(token);
        assertThat(run("launchproj._.2001", "ps -o user,args | grep httpd | grep -v grep")).as("runs as the user")
                .startsWith("2001");

        // open again: the running server is reused, the token stays
        assertThat(postFromLauncher("/launcher/containers/" + id + "/jupyter").header("Location"))
                .endsWith("/user/ds01alice/launchproj/");
        assertThat(token(id)).isEqualTo(token);
        assertThat(given().accept("text/html").get("/launcher/cards").then().extract().asString())
                .contains("> Jupyter</button>");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void anImageWithoutJupyterIsExplained() {
        long id = deploy("nojupyter", "ds01-test/pybase:latest");
        ExtractableResponse<Response> refused = postFromLauncher("/launcher/containers/" + id + "/jupyter");
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(java.net.URLDecoder.decode(refused.cookie("ds01-flash"), StandardCharsets.UTF_8))
                .contains("has no Jupyter", "step 2");
    }

    @Test
    @TestSecurity(user = "ds01bob", roles = "user")
    void anotherUsersContainerIsNotFound() {
        long alices = TestDatabase.alicesSecretContainer(dataSource);
        assertThat(postFromLauncher("/launcher/containers/" + alices + "/jupyter").statusCode()).isEqualTo(404);
        assertThat(given().accept("text/html").get("/launcher").then().extract().asString()).doesNotContain("secret");
    }
}
