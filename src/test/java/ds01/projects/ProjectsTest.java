package ds01.projects;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * New projects on disk, owned by their user, with DS01's layout and a repository git reads; existing directories
 * listed as projects; bad names, existing directories and planted links refused without writing anything.
 */
@QuarkusTest
@TestSecurity(user = "ds01bob", roles = "user")
class ProjectsTest {

    static final Path WORKSPACE = Path.of("/home/ds01bob/workspace");
    static final List<String> MADE = List.of("scaffolded", "plain", "byhand", "outside-link", "webproject");

    @AfterEach
    void clean() throws Exception {
        for (String name : MADE) {
            new ProcessBuilder("rm", "-rf", "--", WORKSPACE.resolve(name).toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
        new ProcessBuilder("rm", "-rf", "/tmp/ds01-projects-test-target").start().waitFor(30, TimeUnit.SECONDS);
    }

    private static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static ExtractableResponse<Response> create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/projects").then().extract();
    }

    @Test
    void aNewProjectHasTheDataScienceLayoutOwnedByItsUserAndARepositoryGitReads() throws Exception {
        ExtractableResponse<Response> made = create(Map.of("name", "scaffolded"));
        assertThat(made.statusCode()).as(made.asString()).isEqualTo(201);
        Path dir = WORKSPACE.resolve("scaffolded");
        for (String sub : List.of("data/raw", "data/processed", "data/external", "models/checkpoints", "notebooks",
                "scripts", "configs", "outputs/logs", "outputs/figures", "tests")) {
            assertThat(dir.resolve(sub)).as(sub).isDirectory();
            assertThat(owner(dir.resolve(sub))).as(sub).isEqualTo(2002);
        }
        assertThat(owner(dir)).isEqualTo(2002);
        assertThat(owner(dir.resolve("README.md"))).isEqualTo(2002);
        assertThat(Files.readString(dir.resolve("README.md"))).startsWith("# scaffolded\n").contains("`data/raw`");
        assertThat(Files.readString(dir.resolve("requirements.txt"))).contains("image form");
        assertThat(Files.readAllLines(dir.resolve(".gitignore"))).contains("data/", "*.ckpt", ".ipynb_checkpoints/", ".cache/");

        // git itself, run as bob, reads the repository and sees the project's files
        Process git = new ProcessBuilder("setpriv", "--reuid=2002", "--regid=2002", "--clear-groups", "git", "-C",
                dir.toString(), "status", "--porcelain", "--untracked-files=all").redirectErrorStream(true).start();
        String status = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as(status).isZero();
        assertThat(status).contains("?? README.md", "?? .gitignore", "?? notebooks/.gitkeep");

        given().get("/api/projects").then().statusCode(200).body("name", hasItem("scaffolded"));
        assertThat(create(Map.of("name", "scaffolded")).statusCode()).as("it exists").isEqualTo(409);
    }

    @Test
    void aBlankProjectWithoutGitHasOnlyItsThreeFiles() throws Exception {
        assertThat(create(Map.of("name", "plain", "layout", "blank", "git", false)).statusCode()).isEqualTo(201);
        try (var entries = Files.list(WORKSPACE.resolve("plain"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(".gitignore", "README.md", "requirements.txt");
        }
    }

    @Test
    void directoriesMadeByHandAreProjectsAndLinksFilesAndOddNamesAreNot() throws Exception {
        Files.createDirectories(WORKSPACE.resolve("byhand"));
        Files.createDirectories(Path.of("/tmp/ds01-projects-test-target"));
        Files.createSymbolicLink(WORKSPACE.resolve("outside-link"), Path.of("/tmp/ds01-projects-test-target"));
        given().get("/api/projects").then().statusCode(200).body("name", hasItem("byhand"))
                .body("name", not(hasItem("outside-link")));

        // a link planted at the new project's name is never written through
        ExtractableResponse<Response> refused = create(Map.of("name", "outside-link"));
        assertThat(refused.statusCode()).isEqualTo(409);
        try (var entries = Files.list(Path.of("/tmp/ds01-projects-test-target"))) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void badNamesAndLayoutsAreRefusedAndNothingIsMade() throws Exception {
        List<String> before;
        try (var entries = Files.list(WORKSPACE)) {
            before = entries.map(Path::toString).sorted().toList();
        }
        for (String bad : List.of("..", "../../etc", "Bad Name", "a/b", "", "x\nRUN id", ".hidden", "a._.b",
                "x".repeat(64))) {
            ExtractableResponse<Response> r = create(Map.of("name", bad));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.asString()).contains("is not a project name");
        }
        assertThat(create(Map.of("name", "scaffolded", "layout", "kaggle")).statusCode()).isEqualTo(400);
        given().contentType(ContentType.JSON).body("{\"name\": \"scaffolded\", \"path\": \"/etc\"}").post("/api/projects")
                .then().statusCode(400);
        try (var entries = Files.list(WORKSPACE)) {
            assertThat(entries.map(Path::toString).sorted().toList()).isEqualTo(before);
        }
    }

    @Test
    void theWebFormGoesStraightOnToTheProjectsImage() {
        ExtractableResponse<Response> page = given().accept("text/html").get("/projects/new").then().statusCode(200)
                .extract();
        assertThat(page.asString()).contains("data/&#123;raw,processed,external&#125;", "id=\"git\" checked");
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        ExtractableResponse<Response> made = given().accept("text/html").redirects().follow(false)
                .cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", token)
                .formParams(Map.of("name", "webproject", "layout", "data-science", "git", "on")).post("/projects")
                .then().extract();
        assertThat(made.statusCode()).isEqualTo(303);
        assertThat(made.header("Location")).endsWith("/images/new?project=webproject");
        assertThat(WORKSPACE.resolve("webproject/.git/HEAD")).exists();
        assertThat(given().accept("text/html").get("/images/new?project=webproject").then().statusCode(200).extract()
                .asString()).contains("id=\"project\" name=\"project\" value=\"webproject\"");

        ExtractableResponse<Response> again = given().accept("text/html").cookie("csrf-token", page.cookie("csrf-token"))
                .formParam("csrf-token", token).formParams(Map.of("name", "webproject")).post("/projects").then().extract();
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.asString()).contains("id=\"form-error\"", "exists already", "value=\"webproject\"");
    }
}
