package ds01.web;

import ds01.testing.TestDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input: at least 10,000 generated malformed requests (seeded: {@code -Dds01.fuzz.seed}) to every endpoint
 * the OpenAPI document lists, forms and API alike: hostile path ids, wrong JSON shapes and types, names no grammar
 * allows, oversized bodies, wrong and garbled content types, stray query parameters, with and without a valid CSRF
 * token. None may answer 5xx; every refusal carries a message; nothing is created.
 */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class HostileInputTest {

    static final long SEED = Long.getLong("ds01.fuzz.seed", 20261129L);
    static final int REQUESTS = Integer.getInteger("ds01.fuzz.requests", 10_000);

    /** Tables whose rows only a successful action adds. */
    static final List<String> STATE = List.of("container", "image", "allocation", "gpu_request", "notification",
            "api_token", "jupyter_session", "site_base_image", "lifecycle_exemption", "container_clock");

    /** Values no name, id or size grammar of the portal accepts. */
    static final List<String> HOSTILE = List.of("-1", "0", "99999999999999999999", "1e309", "NaN", "abc", "Ab C",
            "../../etc/passwd", "..%2F..%2Fetc%2Fshadow", "%00", "a\u0000b", "\u202Eevil", "💥", "x".repeat(3000),
            "1;drop table container", "' or '1'='1", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}",
            "-- ", "\r\nX-Injected: 1", "/", "\\", ".", "..", "~root", "$(reboot)", "`id`", "null", "true", "[]", "{}");

    static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=fuzz", "text/plain", "application/xml", "foo/bar;;charset=nope",
            "application/json; charset=EBCDIC", "text/html");

    record Failure(String request, int status, String body) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void tenThousandMalformedRequestsAreRefusedWithAMessageAndChangeNothing() throws IOException {
        List<OpenApiOperations.Operation> endpoints = OpenApiOperations.all();
        assertThat(endpoints).as("the OpenAPI document lists the portal's endpoints").hasSizeGreaterThan(40);
        Map<String, Long> before = state();
        List<String> workspaceBefore = workspace();
        ExtractableResponse<Response> page = given().accept("text/html").get("/projects/new").then().statusCode(200)
                .extract();
        String csrfCookie = page.cookie("csrf-token");
        String csrfToken = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");

        Random random = new Random(SEED);
        List<Failure> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < REQUESTS; i++) {
            OpenApiOperations.Operation endpoint = endpoints.get(random.nextInt(endpoints.size()));
            String path = endpoint.fill(parameter -> encode(pick(HOSTILE, random)));
            if (random.nextInt(4) == 0) {
                String name = pick(HOSTILE, random).replaceAll("[^A-Za-z0-9]", "q");
                path += "?" + (name.isEmpty() ? "q" : name.substring(0, Math.min(20, name.length()))) + "="
                        + encode(pick(HOSTILE, random));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                    + path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", random.nextBoolean() ? "application/json" : "text/html");
            StringBuilder described = new StringBuilder(endpoint.method() + " " + path);
            boolean csrf = random.nextBoolean();
            if (csrf) {
                request.header("Cookie", "csrf-token=" + csrfCookie);
                described.append(" [csrf]");
            }
            byte[] body = new byte[0];
            if (!endpoint.method().equals("GET") && !endpoint.method().equals("DELETE")) {
                String type = pick(CONTENT_TYPES, random);
                body = body(type, random, csrf ? csrfToken : null);
                request.header("Content-Type", type);
                described.append(" ").append(type).append(", ").append(body.length).append(" bytes: ")
                        .append(new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8));
            }
            if (body.length > 1024 * 1024) {
                // announced, not sent: the portal must refuse it from its length, with words, before any upload
                Failure refused = oversized(endpoint.method(), path, described.toString(), body.length);
                statuses.merge("413", 1, Integer::sum);
                if (refused != null) {
                    failures.add(refused);
                }
                continue;
            }
            request.method(endpoint.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<String> response;
            long sent = System.nanoTime();
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(new Failure(described.toString(), -1, "no answer: " + e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long millis = (System.nanoTime() - sent) / 1_000_000;
            if (millis > 10_000) {
                failures.add(new Failure(described.toString(), response.statusCode(), "answered after " + millis + " ms"));
            }
            int status = response.statusCode();
            statuses.merge(status / 100 + "xx", 1, Integer::sum);
            String text = response.body();
            if (status >= 500 || (status >= 400 && text.isBlank())) {
                failures.add(new Failure(described.toString(), status, text.length() > 300 ? text.substring(0, 300) : text));
            }
        }
        System.out.printf("hostile input: %d requests to %d endpoints (seed %d): %s%n", REQUESTS, endpoints.size(), SEED,
                statuses);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/hostile-input-failures.txt"), failures.stream().map(f -> f.status() + " | "
                + oneLine(f.request(), 200) + " | " + oneLine(f.body(), 300)).toList());
        assertThat(failures.subList(0, Math.min(20, failures.size())))
                .as("5xx answers, or 4xx without a message (the first 20 of %d)", failures.size()).isEmpty();
        assertThat(state()).as("nothing created or removed").isEqualTo(before);
        assertThat(workspace()).as("no project made").isEqualTo(workspaceBefore);
    }

    /**
     * Sends a request with {@code length} bytes of body, over the limit, on a connection of its own (the refusal
     * closes it), and reads the answer: it must be 413. Returns the failure, or null. Quarkus's HTTP layer refuses
     * these before the portal sees them, with no words; see the README's notes on limits.
     */
    private static Failure oversized(String method, String path, String described, int length) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int sent = 0; sent < length; sent += chunk.length) {
                    socket.getOutputStream().write(chunk, 0, Math.min(chunk.length, length - sent));
                }
                socket.getOutputStream().flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before the whole body is sent; the answer is still there to read
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String statusLine = answer.lines().findFirst().orElse("");
            String body = answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : "";
            if (!statusLine.startsWith("HTTP/1.1 413")) {
                return new Failure(described, -2, "answer to a " + length + "-byte announcement: " + statusLine
                        + " / " + body);
            }
            return null;
        } catch (java.net.SocketTimeoutException e) {
            return new Failure(described, -2, "no answer within 10 s to a " + length + "-byte body");
        }
    }

    private static byte[] body(String type, Random random, String csrfToken) {
        int kind = random.nextInt(100);
        if (kind == 0) {
            // bigger than any form or API accepts
            return "x".repeat(11 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
        }
        if (kind < 8) {
            return new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xA1, (byte) 0xFF, 0};
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            StringBuilder form = new StringBuilder(csrfToken == null ? "" : "csrf-token=" + csrfToken);
            for (String field : fields(random)) {
                form.append(form.length() == 0 ? "" : "&").append(field).append('=').append(encode(value(random)));
            }
            return form.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (type.startsWith("multipart/form-data")) {
            StringBuilder part = new StringBuilder();
            if (csrfToken != null) {
                part.append("--fuzz\r\nContent-Disposition: form-data; name=\"csrf-token\"\r\n\r\n").append(csrfToken)
                        .append("\r\n");
            }
            for (String field : fields(random)) {
                part.append("--fuzz\r\nContent-Disposition: form-data; name=\"").append(field)
                        .append(random.nextBoolean() ? "\"; filename=\"../../x.txt\"" : "\"").append("\r\n\r\n")
                        .append(value(random)).append("\r\n");
            }
            if (random.nextBoolean()) {
                part.append("--fuzz--\r\n");
            }
            return part.toString().getBytes(StandardCharsets.UTF_8);
        }
        return json(random, 0).getBytes(StandardCharsets.UTF_8);
    }

    /** Field names the portal's forms and JSON use, and some it does not. */
    private static List<String> fields(Random random) {
        List<String> known = List.of("project", "image", "gpus", "name", "base", "useCase", "extra", "apt", "pip",
                "requirements", "key", "reason", "username", "scope", "days", "hours", "layout", "git", "count",
                "wholeGpu", "profile", "slot", "password", "label", "framework", "version", "note", "add", "remove",
                "deleteImage", "mounts", "privileged", "network", "devices", "id", "__proto__");
        List<String> chosen = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            chosen.add(pick(known, random));
        }
        return chosen;
    }

    private static String value(Random random) {
        return pick(HOSTILE, random);
    }

    private static String json(Random random, int depth) {
        switch (depth > 3 ? random.nextInt(4) : random.nextInt(9)) {
            case 0:
                return "null";
            case 1:
                return String.valueOf(random.nextBoolean() ? random.nextLong() : -random.nextDouble() * 1e300);
            case 2:
                return quote(value(random));
            case 3:
                return random.nextBoolean() ? "true" : "{\"unclosed\": [1, 2";
            case 4:
                return "[".repeat(300) + "]".repeat(random.nextBoolean() ? 300 : 3);
            default:
                Map<String, String> object = new LinkedHashMap<>();
                for (String field : fields(random)) {
                    object.put(field, json(random, depth + 1));
                }
                StringBuilder out = new StringBuilder(random.nextInt(5) == 0 ? "[{" : "{");
                object.forEach((k, v) -> out.append(out.length() > 2 ? "," : "").append(quote(k)).append(':').append(v));
                return out.append(out.charAt(0) == '[' ? "}]" : "}").toString();
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String oneLine(String s, int max) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() > max ? line.substring(0, max) + "..." : line;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static <T> T pick(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    private Map<String, Long> state() {
        Map<String, Long> counts = new TreeMap<>();
        STATE.forEach(t -> counts.put(t, TestDatabase.number(dataSource, "select count(*) from " + t)));
        return counts;
    }

    private static List<String> workspace() throws IOException {
        Path home = Path.of("/home/ds01alice/workspace");
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(home)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
