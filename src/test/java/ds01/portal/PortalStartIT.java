package ds01.portal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens when an admin starts the packaged portal: its database, its degraded mode, its refusals. */
class PortalStartIT {

    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private Path dataDir() throws Exception {
        // the built-in database runs as an unprivileged account that must be able to reach its directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp.resolve("data");
    }

    @Test
    void withoutADatabaseConfiguredItUsesTheBuiltInOneAndKeepsItsDataAcrossRestarts() throws Exception {
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(),
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            assertThat(portal.output()).contains("No database configured (DS01_DB_URL unset): using the built-in "
                    + "PostgreSQL, data in " + tmp.resolve("data").resolve("postgres"));
            assertThat(portal.output()).containsPattern("Successfully applied \\d+ migrations? to schema");
        }
        assertThat(tmp.resolve("data/postgres/PG_VERSION")).exists();
        try (PortalProcess again = PortalProcess.start(tmp, env)) {
            assertThat(again.awaitStarted(START)).as(again.output()).isTrue();
            assertThat(again.output()).contains("is up to date. No migration necessary")
                    .doesNotContain("creating the built-in PostgreSQL cluster");
            HttpResponse<String> health = again.get("/q/health", "application/json");
            assertThat(health.body()).contains("\"name\": \"Database connections health check\"");
        }
    }

    @Test
    void withoutDockerOrNvidiaSmiItStartsAndSaysDegradedOnEveryPage() throws Exception {
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(),
                "DS01_NVIDIA_SMI", tmp.resolve("no-such-nvidia-smi").toString(),
                "DS01_DOCKER_HOST", "unix://" + tmp.resolve("no-such-docker.sock"));
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            HttpResponse<String> health = portal.get("/q/health", "application/json");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).containsPattern("\"name\": \"gpu-inventory\",\\s+\"status\": \"DOWN\"")
                    .containsPattern("\"name\": \"docker-engine\",\\s+\"status\": \"DOWN\"")
                    .containsPattern("\"name\": \"Database connections health check\",\\s+\"status\": \"UP\"");
            assertThat(portal.get("/", "text/html").statusCode()).as("anonymous: to the sign-in page").isEqualTo(302);
            assertThat(portal.get("/signin", "text/html").body()).contains("Portal degraded:");
            portal.signIn("ds01alice", "ds01-test-password");
            for (String page : new String[] {"/", "/status", "/account", "/no-such-page"}) {
                HttpResponse<String> response = portal.get(page, "text/html");
                assertThat(response.body()).as(page).contains("Portal degraded:")
                        .contains("GPU inventory (nvidia-smi)").contains("Docker engine");
            }
        }
    }

    @Test
    void anUnreachableDatabaseStopsThePortal() throws Exception {
        int closed = PortalProcess.freePort();
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(),
                "DS01_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/ds01",
                "DS01_DB_USER", "ds01", "DS01_DB_PASSWORD", "x");
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as("must not start without its database").isFalse();
            assertThat(portal.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(portal.output()).contains("127.0.0.1:" + closed).contains("Connection to");
            assertThat(tmp.resolve("data/postgres")).as("no silent fallback to the built-in database").doesNotExist();
            assertShortRefusal(portal.output(), "the database does not answer: Connection to 127.0.0.1:" + closed,
                    "Check DS01_DB_URL");
        }
    }

    @Test
    void aBrokenLimitsFileStopsThePortalNamingFileLineAndKey() throws Exception {
        Path limits = tmp.resolve("resource-limits.yaml");
        Files.writeString(limits, """
                defaults:
                  max_cpus: 16
                default_group: student
                groups:
                  student:
                    members: []
                    max_cpus: lots
                """);
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(), "DS01_LIMITS_FILE", limits.toString());
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as("must not start on a broken limits file").isFalse();
            assertThat(portal.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(portal.output()).contains(limits + " line 7, key groups.student.max_cpus")
                    .contains("lots");
            assertShortRefusal(portal.output(), "the limits file is refused: " + limits + " line 7, key "
                    + "groups.student.max_cpus", "Fix the file");
        }
    }

    @Test
    void aMissingPamServiceFileStopsThePortalSayingWhatToInstall() throws Exception {
        // a service of its own: /etc/pam.d/ds01-portal is there for the other tests and stays
        String service = "ds01-no-such-service";
        assertThat(Path.of("/etc/pam.d", service)).doesNotExist();
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(), "DS01_IDENTITY_PAM_SERVICE", service,
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as("must not start without its PAM service").isFalse();
            assertThat(portal.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertShortRefusal(portal.output(), "PAM service file /etc/pam.d/" + service + " is missing",
                    "install -m 0644 deploy/pam/ds01-portal /etc/pam.d/" + service);
        }
    }

    @Test
    void aConfigurationValueThatIsNoDurationStopsThePortalNamingItsVariable() throws Exception {
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(), "DS01_GPU_REFRESH", "often",
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as("must not start on a bad interval").isFalse();
            assertThat(portal.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertShortRefusal(portal.output(), "ds01.gpu.refresh (DS01_GPU_REFRESH) is not a duration "
                    + "(Invalid duration: often)", "Give it as 30s");
        }
    }

    @Test
    void aTakenPortStopsThePortalNamingThePort() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(),
                    "DS01_HTTP_PORT", String.valueOf(taken.getLocalPort()),
                    "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
            try (PortalProcess portal = PortalProcess.start(tmp, env)) {
                assertThat(portal.awaitStarted(START)).as("must not start on a taken port").isFalse();
                assertThat(portal.awaitExit(Duration.ofSeconds(30))).isNotZero();
                assertShortRefusal(portal.output(), "port " + taken.getLocalPort() + " on 127.0.0.1 is taken",
                        "DS01_HTTP_PORT");
            }
        }
    }

    /**
     * A start refusal a person can act on: no stack trace anywhere in the output, and its own lines (from the one
     * that says the portal did not start to the next log line or the end) are two, the problem and what to do.
     */
    private static void assertShortRefusal(String output, String problem, String whatToDo) {
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("at ds01.")
                .doesNotContain("Caused by:");
        List<String> lines = output.lines().toList();
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("DS01 Portal did not start: ")) {
                assertThat(first).as("one refusal, said once:\n" + output).isEqualTo(-1);
                first = i;
            }
        }
        assertThat(first).as("the refusal is missing:\n" + output).isNotNegative();
        List<String> refusal = new ArrayList<>();
        for (int i = first; i < lines.size() && !LOG_LINE.matcher(lines.get(i)).lookingAt(); i++) {
            refusal.add(lines.get(i));
        }
        assertThat(refusal).as(output).hasSize(2);
        assertThat(refusal.get(0)).contains(problem);
        assertThat(refusal.get(1)).contains(whatToDo);
    }

    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

    @Test
    void aBrokenLimitsFileOnReloadKeepsTheLastGoodLimitsAndShowsABanner() throws Exception {
        Path limits = tmp.resolve("resource-limits.yaml");
        String good = """
                defaults:
                  max_cpus: 16
                  idle_timeout: 30m
                default_group: student
                groups:
                  student:
                    members: []
                """;
        Files.writeString(limits, good);
        Map<String, String> env = Map.of("DS01_DATA_DIR", dataDir().toString(), "DS01_LIMITS_FILE", limits.toString(),
                "DS01_LIMITS_RELOAD_INTERVAL", "1s",
                "DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
        try (PortalProcess portal = PortalProcess.start(tmp, env)) {
            assertThat(portal.awaitStarted(START)).as(portal.output()).isTrue();
            portal.signIn("ds01alice", "ds01-test-password");
            Files.writeString(limits, good.replace("idle_timeout: 30m", "idle_timeout: 3 weeks") + "\n");
            String page = awaitPage(portal, "/", body -> body.contains("Limits file refused:"));
            assertThat(page).contains(limits + " line 3, key defaults.idle_timeout");
            assertThat(portal.get("/api/limits/ds01alice", "application/json").body())
                    .as("the last good limits stay in force").contains("\"human\":\"30m\"");
            Files.writeString(limits, good.replace("idle_timeout: 30m", "idle_timeout: 45m"));
            awaitPage(portal, "/", body -> !body.contains("Limits file refused:"));
            assertThat(portal.get("/api/limits/ds01alice", "application/json").body()).contains("\"human\":\"45m\"");
        }
    }

    private static String awaitPage(PortalProcess portal, String path, java.util.function.Predicate<String> until)
            throws Exception {
        String body = "";
        for (int i = 0; i < 60; i++) {
            body = portal.get(path, "text/html").body();
            if (until.test(body)) {
                return body;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("page " + path + " never reached the expected state; last body:\n" + body);
    }
}
