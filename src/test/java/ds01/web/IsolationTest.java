package ds01.web;

import com.github.dockerjava.api.DockerClient;
import ds01.containers.DeployJobs;
import ds01.containers.DeployFlow;
import ds01.containers.Outcome;
import ds01.identity.ApiTokens;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.images.Builds;
import ds01.images.CatalogueEntry;
import ds01.images.ImageRecipe;
import ds01.lifecycle.Exemptions;
import ds01.events.Notifications;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation: with everything of ds01bob's that has an id (a running container with a GPU, its deploy job, a
 * build, an image, a queued GPU request, an API token, a notification, an exemption), ds01alice tries every
 * operation of the OpenAPI document that takes an id or name, through pages with a valid CSRF token, through the
 * API with her own API token, and through the Jupyter proxy: each answers 403 or 404, shows nothing of bob's,
 * and changes nothing. Then: every state-changing form is refused without its CSRF token (even to an admin), and
 * every form the portal serves carries one.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
class IsolationTest {

    private static final String SECRET_MESSAGE = "bob-only: your thesis container is idle";
    private static final String TOKEN_NAME = "bobs-laptop-token";
    private static final List<String> ALLOWED = List.of("403", "404");

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DeployFlow deploys;
    @Inject
    DeployJobs deployJobs;
    @Inject
    HostAccounts accounts;
    @Inject
    ApiTokens tokens;
    @Inject
    Builds builds;
    @Inject
    Notifications notifications;
    @Inject
    Exemptions exemptions;

    final DockerClient docker = TestMachine.engine();
    Bobs bobs;

    /** What ds01bob has, by the names the OpenAPI paths give their parameters. */
    record Bobs(long container, String containerName, String deployJob, String build, String image, long token,
            String tokenSecret, long queued, long exemption, long siteImage) {
    }

    @BeforeEach
    void bobHasOneOfEverything() throws Exception {
        HostAccount bob = accounts.find("ds01bob").orElseThrow();
        long bobId = TestDatabase.number(dataSource, "select id from portal_user where username = 'ds01bob'");

        Outcome deployed = deploys.deploy(new DeployFlow.DeployRequest(bob, "private",
                "ds01-test/base:latest", new DeployFlow.GpuChoice(1, false, Optional.empty()), "web"));
        assertThat(deployed.result()).as(deployed.message()).isEqualTo(Outcome.Result.running);
        String name = TestDatabase.text(dataSource, "select name from container where id = " + deployed.containerId());
        DeployJobs.Job job = deployJobs.start(new DeployFlow.DeployRequest(bob, "second", "ds01-test/base:latest",
                new DeployFlow.GpuChoice(0, false, Optional.empty()), "web"));
        // a base no registry here has: the build fails at once, but it is bob's build with an id all the same
        Builds.Job build = builds.start(bob, ImageRecipe.of("bobonlybuild", "private", new CatalogueEntry("Test", "1",
                List.of(CatalogueEntry.CPU), "ds01-test/absent:1", List.of(), null, null), List.of(), List.of()));
        TestDatabase.execute(dataSource, "insert into image (owner_id, name, reference, base_image, dockerfile, state) "
                + "values (" + bobId + ", 'bobonlyimg', 'ds01-2002/bobonlyimg:latest', 'ds01-test/base:latest', "
                + "'FROM ds01-test/base:latest', 'ready')");
        ApiTokens.Created token = tokens.create(bob, TOKEN_NAME, Optional.empty());
        long queued = TestDatabase.number(dataSource, "insert into gpu_request (node, owner_id, slot_count, priority, "
                + "expires_at) values ('testnode', " + bobId + ", 1, 10, now() + interval '1 hour') returning id");
        notifications.tell("ds01bob", bobId, deployed.containerId(), "private", "idle-warning", SECRET_MESSAGE);
        exemptions.grant("ds01admin", "ds01bob", "idle", 3, "thesis deadline");
        long exemption = TestDatabase.number(dataSource, "select id from lifecycle_exemption where username = 'ds01bob'");
        long siteImage = TestDatabase.number(dataSource, "select coalesce(max(id), 1) from site_base_image");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!(job.finished() && build.finished()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(job.finished() && build.finished()).as("bob's deploy and build end").isTrue();
        bobs = new Bobs(deployed.containerId(), name, job.id, build.id, "bobonlyimg", token.token().id,
                token.secret(), queued, exemption, siteImage);
    }

    /** Not left for the classes after this one, which start from the database as they find it. */
    @AfterEach
    void removeBobsImagesAndExemptions() {
        TestDatabase.execute(dataSource, "delete from image where name in ('bobonlyimg', 'bobonlybuild')");
        TestDatabase.execute(dataSource, "delete from lifecycle_exemption");
    }

    /** The value for a path parameter: bob's thing of that kind, decided by the path. */
    private String bobs(String path, String parameter) {
        return switch (parameter) {
            case "id" -> {
                if (path.contains("/containers/")) {
                    yield String.valueOf(bobs.container);
                } else if (path.contains("/builds/")) {
                    yield bobs.build;
                } else if (path.contains("/tokens/")) {
                    yield String.valueOf(bobs.token);
                } else if (path.contains("/queue/")) {
                    yield String.valueOf(bobs.queued);
                } else if (path.contains("/exemptions/")) {
                    yield String.valueOf(bobs.exemption);
                } else if (path.startsWith("/admin/images/")) {
                    yield String.valueOf(bobs.siteImage);
                }
                throw new AssertionError("a new endpoint takes an id: " + path + "; say here whose id to try");
            }
            case "job" -> bobs.deployJob;
            case "name" -> bobs.image;
            case "user" -> "ds01bob";
            default -> throw new AssertionError("a new path parameter {" + parameter + "} in " + path
                    + "; say here which of bob's things to try");
        };
    }

    /** Each concrete path of an operation: {action} alternatives spelled out, the rest bob's. */
    private List<String> paths(OpenApiOperations.Operation operation) {
        List<String> actions = !operation.parameters().contains("action") ? List.of("")
                : operation.path().startsWith("/admin/") ? List.of("stop", "retire")
                : List.of("stop", "start", "restart", "retire");
        return actions.stream().map(action -> operation.fill(p -> p.equals("action") ? action
                : bobs(operation.path(), p))).toList();
    }

    private Map<String, Long> state() {
        Map<String, Long> counts = new TreeMap<>();
        HostileInputTest.STATE.forEach(t -> counts.put(t, TestDatabase.number(dataSource, "select count(*) from " + t)));
        counts.put("bob's running containers", TestDatabase.number(dataSource,
                "select count(*) from container where state = 'running' and id = " + bobs.container));
        counts.put("bob's allocations held", TestDatabase.number(dataSource,
                "select count(*) from allocation where released_at is null and container_id = " + bobs.container));
        counts.put("bob's unread notifications", TestDatabase.number(dataSource,
                "select count(*) from notification n join portal_user u on u.id = n.owner_id "
                        + "where u.username = 'ds01bob' and n.read_at is null"));
        counts.put("bob's live tokens", TestDatabase.number(dataSource,
                "select count(*) from api_token where id = " + bobs.token + " and revoked_at is null"));
        counts.put("bob's waiting requests", TestDatabase.number(dataSource,
                "select count(*) from gpu_request where state = 'waiting' and id = " + bobs.queued));
        counts.put("bob's images", TestDatabase.number(dataSource,
                "select count(*) from image i join portal_user u on u.id = i.owner_id where u.username = 'ds01bob'"));
        counts.put("bob's exemptions", TestDatabase.number(dataSource,
                "select count(*) from lifecycle_exemption where id = " + bobs.exemption + " and expires_at > now()"));
        return counts;
    }

    private boolean bobsContainerRuns() {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(bobs.containerName).exec().getState().getRunning());
    }

    /** Every operation that names something, tried on bob's; each answer collected as "METHOD path -> status". */
    private List<String> tryEverything(UnaryOperator<RequestSpecification> as, boolean apiOnly, CsrfToken csrf) {
        List<String> refused = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (OpenApiOperations.Operation operation : OpenApiOperations.all(as.apply(given()))) {
            if (operation.parameters().isEmpty() || apiOnly && !operation.api()) {
                continue;
            }
            for (String path : paths(operation)) {
                RequestSpecification request = as.apply(given().redirects().follow(false));
                if (operation.changesState() && !operation.api()) {
                    request = csrf.on(request).contentType("application/x-www-form-urlencoded")
                            .formParam("reason", "taking it").formParam("hours", "4");
                } else if (operation.changesState() && !operation.method().equals("DELETE")) {
                    request = request.contentType("application/json").body("{}");
                }
                // any type: the logs are text, a build's log an event stream; it is the owner check that answers
                request = request.accept(operation.api() ? "*/*" : "text/html");
                ExtractableResponse<Response> answer = request.request(operation.method(), path).then().extract();
                String described = operation.method() + " " + path + " -> " + answer.statusCode();
                String body = answer.asString();
                if (!ALLOWED.contains(String.valueOf(answer.statusCode())) || body.isBlank()
                        || body.contains(bobs.containerName) || body.contains(SECRET_MESSAGE)
                        || body.contains(TOKEN_NAME) || body.contains(bobs.tokenSecret)) {
                    wrong.add(described + ": " + body.replaceAll("\\s+", " ").substring(0, Math.min(200, body.length())));
                } else {
                    refused.add(described);
                }
            }
        }
        assertThat(wrong).as("answers other than a 403/404 with a message and nothing of bob's").isEmpty();
        return refused;
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aUserReachesNothingOfAnotherUsersThroughPagesOrTheJupyterProxy() {
        Map<String, Long> before = state();
        List<String> refused = tryEverything(r -> r, false, CsrfToken.from("/projects/new"));
        assertThat(refused).as("every id-taking operation was tried").hasSizeGreaterThan(30)
                .anyMatch(r -> r.startsWith("POST /containers/" + bobs.container + "/retire"))
                .anyMatch(r -> r.startsWith("GET /api/images/builds/" + bobs.build))
                .anyMatch(r -> r.startsWith("POST /account/tokens/" + bobs.token + "/revoke"));
        System.out.println("isolation: " + refused.size() + " operations on bob's things refused to alice");

        String owner = bobs.containerName.split("\\._\\.")[0];
        for (String jupyter : List.of("/user/ds01bob/" + owner + "/", "/user/ds01bob/" + owner + "/lab",
                "/user/ds01bob/" + owner + "/api/contents/secret.txt", "/user/ds01bob/" + owner + "/api/kernels")) {
            ExtractableResponse<Response> answer = given().redirects().follow(false).accept("text/html").get(jupyter)
                    .then().extract();
            assertThat(answer.statusCode()).as("the Jupyter proxy, " + jupyter).isEqualTo(403);
            assertThat(answer.asString()).contains("belongs to another user");
        }

        // lists show only her own
        assertThat(given().accept("application/json").get("/api/containers").asString()).doesNotContain(bobs.containerName);
        assertThat(given().accept("text/html").get("/containers").asString()).doesNotContain(bobs.containerName);
        assertThat(given().accept("text/html").get("/launcher").asString()).doesNotContain(bobs.containerName);
        assertThat(given().accept("text/html").get("/notifications").asString()).doesNotContain(SECRET_MESSAGE);
        assertThat(given().accept("text/html").get("/account").asString()).doesNotContain(TOKEN_NAME);
        assertThat(given().accept("application/json").get("/api/images").asString()).doesNotContain("bobonlyimg");
        assertThat(given().accept("text/html").get("/images").asString()).doesNotContain("bobonlyimg")
                .doesNotContain("bobonlybuild");
        assertThat(given().accept("application/json").get("/api/projects").asString()).doesNotContain("private");
        assertThat(given().accept("application/json").get("/api/gpu/queue").asString())
                .doesNotContain("\"id\":" + bobs.queued + ",");

        // and names of bob's in what she sends are hers or nothing: his image is not hers to deploy
        ExtractableResponse<Response> deploy = given().contentType("application/json").accept("application/json")
                .body("{\"project\": \"mine\", \"image\": \"ds01-2002/bobonlyimg:latest\", \"gpus\": 0}")
                .post("/api/containers").then().extract();
        assertThat(deploy.statusCode()).as(deploy.asString()).isIn(400, 403, 404, 409, 422);

        assertThat(state()).as("nothing of bob's changed").isEqualTo(before);
        assertThat(bobsContainerRuns()).isTrue();
    }

    @Test
    void anApiTokenReachesNothingOfAnotherUsers() {
        String alices = tokens.create(accounts.find("ds01alice").orElseThrow(), "alice-cli", Optional.empty()).secret();
        Map<String, Long> before = state();
        List<String> refused = tryEverything(r -> r.header("Authorization", "Bearer " + alices), true, null);
        assertThat(refused).as("every id-taking API operation was tried").hasSizeGreaterThan(10)
                .anyMatch(r -> r.startsWith("DELETE /api/containers/" + bobs.container + " "))
                .anyMatch(r -> r.startsWith("DELETE /api/gpu/queue/" + bobs.queued + " "));
        assertThat(given().header("Authorization", "Bearer " + alices).accept("application/json")
                .get("/api/containers").asString()).doesNotContain(bobs.containerName);
        assertThat(state()).as("nothing of bob's changed").isEqualTo(before);
        assertThat(bobsContainerRuns()).isTrue();
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void everyStateChangingFormIsRefusedWithoutItsCsrfTokenEvenForAnAdmin() {
        Map<String, Long> before = state();
        CsrfToken csrf = CsrfToken.from("/projects/new");
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (OpenApiOperations.Operation operation : OpenApiOperations.all()) {
            if (!operation.changesState() || operation.api()) {
                continue;
            }
            for (String path : paths(operation)) {
                Map<String, String> form = Map.of("reason", "cross-site", "hours", "4", "project", "forged",
                        "image", "ds01-test/base:latest", "gpus", "0", "name", "forged");
                List<ExtractableResponse<Response>> answers = List.of(
                        // a forged form: the session cookie rides along, the CSRF cookie may too, no token
                        given().redirects().follow(false).accept("text/html").cookie("csrf-token", csrf.cookie)
                                .contentType("application/x-www-form-urlencoded").formParams(form)
                                .request(operation.method(), path).then().extract(),
                        given().redirects().follow(false).accept("text/html")
                                .contentType("application/x-www-form-urlencoded").formParams(form)
                                .request(operation.method(), path).then().extract(),
                        // a token from another page's cookie pair does not match this cookie
                        given().redirects().follow(false).accept("text/html").cookie("csrf-token", csrf.cookie)
                                .contentType("application/x-www-form-urlencoded").formParam("csrf-token", "forged")
                                .formParams(form).request(operation.method(), path).then().extract(),
                        // and with no body at all
                        given().redirects().follow(false).accept("text/html").request(operation.method(), path)
                                .then().extract());
                for (ExtractableResponse<Response> answer : answers) {
                    tried++;
                    String body = answer.asString();
                    if (answer.statusCode() < 400 || answer.statusCode() >= 500 || body.isBlank()) {
                        wrong.add(operation.method() + " " + path + " -> " + answer.statusCode() + ": "
                                + body.replaceAll("\\s+", " ").substring(0, Math.min(200, body.length())));
                    }
                }
            }
        }
        assertThat(wrong).as("forms accepted or refused without words when posted without their token").isEmpty();
        assertThat(tried).as("forged posts sent").isGreaterThanOrEqualTo(100);
        assertThat(state()).as("nothing changed").isEqualTo(before);
        assertThat(bobsContainerRuns()).isTrue();
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void everyFormThePortalServesCarriesTheCsrfToken() {
        Pattern form = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
        List<String> missing = new ArrayList<>();
        int posts = 0;
        for (OpenApiOperations.Operation operation : OpenApiOperations.all()) {
            if (operation.changesState() || operation.api() || operation.path().startsWith("/q/")) {
                continue;
            }
            for (String path : paths(operation)) {
                ExtractableResponse<Response> page = given().redirects().follow(false).accept("text/html").get(path)
                        .then().extract();
                if (page.statusCode() != 200 || !String.valueOf(page.contentType()).startsWith("text/html")) {
                    continue;
                }
                Matcher m = form.matcher(page.asString());
                while (m.find()) {
                    if (!m.group(1).toLowerCase().contains("method=\"post\"")) {
                        continue;
                    }
                    posts++;
                    if (!m.group(2).contains("name=\"csrf-token\"")) {
                        missing.add(path + ": <form" + m.group(1) + ">");
                    }
                }
            }
        }
        assertThat(missing).as("post forms without the CSRF token").isEmpty();
        assertThat(posts).as("post forms found on the pages").isGreaterThanOrEqualTo(12);
    }

    /** A CSRF cookie and its token, taken from a page's form, as a browser holds them. */
    record CsrfToken(String cookie, String token) {

        static CsrfToken from(String page) {
            ExtractableResponse<Response> shown = given().accept("text/html").get(page).then().statusCode(200).extract();
            return new CsrfToken(shown.cookie("csrf-token"),
                    shown.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value"));
        }

        RequestSpecification on(RequestSpecification request) {
            return request.cookie("csrf-token", cookie).formParam("csrf-token", token);
        }
    }
}
