package ds01.portal;

import com.github.dockerjava.api.model.Container;
import ds01.database.EmbeddedPostgres;
import ds01.testing.CleanMachine;
import ds01.testing.TestMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL out of reach for a minute under a running portal (the network to it cut by {@link DatabaseLink}):
 * every page and API call says so with a 503 and words, nothing is done half (a deploy asked for meanwhile makes no
 * container), the session survives; when the database is back the portal works again without a restart, and the
 * engine and the records still agree.
 */
@ExtendWith(CleanMachine.class)
class DatabaseOutageIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("DS01_TEST_OUTAGE_SECONDS", "60")));
    private static final String WORDS = "database does not answer";

    @TempDir
    Path tmp;

    private List<Container> alices() {
        return TestMachine.containersOf("ds01alice");
    }

    @Test
    void aMinuteWithoutTheDatabaseGetsClearRefusalsChangesNothingAndHealsWithoutARestart() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        EmbeddedPostgres database = EmbeddedPostgres.start(tmp.resolve("db"), "ds01-db");
        try (DatabaseLink link = new DatabaseLink(database.port())) {
            Map<String, String> env = Map.ofEntries(
                    Map.entry("DS01_DATA_DIR", tmp.resolve("data").toString()),
                    Map.entry("DS01_DB_URL", "jdbc:postgresql://127.0.0.1:" + link.port() + "/" + EmbeddedPostgres.DATABASE),
                    Map.entry("DS01_DB_USER", database.username()),
                    Map.entry("DS01_DB_PASSWORD", database.password()),
                    Map.entry("DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString()),
                    Map.entry("DS01_FAKE_GPU_MACHINE", "h100-mig-7"),
                    Map.entry("DS01_LIMITS_FILE", Path.of("src/test/resources/limits-containers.yaml").toAbsolutePath().toString()),
                    Map.entry("DS01_BASE_IMAGES", "ds01-test/base:latest"),
                    // the scheduled jobs run during the outage too, and must neither crash nor corrupt anything
                    Map.entry("DS01_RECONCILE", "3s"),
                    Map.entry("DS01_LIFECYCLE_INTERVAL", "5s"),
                    Map.entry("DS01_LIFECYCLE_FIRST_DELAY", "1s"));
            try (PortalProcess portal = PortalProcess.start(tmp, env)) {
                assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
                portal.signIn("ds01alice", "ds01-test-password");
                HttpResponse<String> deployed = portal.api("POST", "/api/containers",
                        "{\"project\": \"steady\", \"image\": \"ds01-test/base:latest\", \"gpus\": 1}");
                assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
                String before = portal.api("GET", "/api/containers", null).body();

                link.cut();
                Instant back = Instant.now().plus(OUTAGE);
                Map<String, Integer> answers = new TreeMap<>();
                List<String> wrong = new ArrayList<>();
                int round = 0;
                while (Instant.now().isBefore(back)) {
                    List<HttpResponse<String>> tried = List.of(
                            portal.get("/containers", "text/html"),
                            portal.get("/", "text/html"),
                            portal.get("/launcher", "text/html"),
                            portal.api("GET", "/api/containers", null),
                            portal.api("POST", "/api/containers", "{\"project\": \"meanwhile" + round
                                    + "\", \"image\": \"ds01-test/base:latest\", \"gpus\": 0}"));
                    for (HttpResponse<String> r : tried) {
                        String what = r.request().method() + " " + r.request().uri().getPath();
                        answers.merge(what + " " + r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() != 503 || !r.body().contains(WORDS)) {
                            wrong.add(what + " -> " + r.statusCode() + ": " + r.body().replaceAll("\\s+", " ")
                                    .substring(0, Math.min(300, r.body().length())));
                        }
                    }
                    HttpResponse<String> health = portal.get("/q/health", "application/json");
                    assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                    assertThat(health.body()).as("the health check names the database").matches(
                            "(?s).*\"name\": \"Database connections health check\",\\s+\"status\": \"DOWN\".*");
                    assertThat(alices()).as("a deploy asked for while the database is away makes no container")
                            .hasSize(1);
                    round++;
                    Thread.sleep(5000);
                }
                System.out.println("OUTAGE " + OUTAGE.toSeconds() + " s, answers: " + answers);
                assertThat(wrong).as("answers during the outage other than a 503 that says the database is away")
                        .isEmpty();

                link.restore();
                Instant deadline = Instant.now().plusSeconds(30);
                HttpResponse<String> after = portal.api("GET", "/api/containers", null);
                while (after.statusCode() != 200 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(1000);
                    after = portal.api("GET", "/api/containers", null);
                }
                assertThat(after.statusCode()).as("the same session works again, no restart: " + after.body())
                        .isEqualTo(200);
                assertThat(after.body()).as("the records are as they were").isEqualTo(before);
                assertThat(portal.get("/containers", "text/html").statusCode()).isEqualTo(200);
                assertThat(alices()).singleElement().satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
                HttpResponse<String> again = portal.api("POST", "/api/containers",
                        "{\"project\": \"afterwards\", \"image\": \"ds01-test/base:latest\", \"gpus\": 0}");
                assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
                assertThat(portal.get("/q/health", "application/json").body()).as("the health check sees it back")
                        .matches("(?s).*\"name\": \"Database connections health check\",\\s+\"status\": \"UP\".*");
                assertThat(portal.output()).as("no failure logged as a bug").doesNotContain("unexpected error on");
            }
        } finally {
            database.stop();
        }
    }
}
