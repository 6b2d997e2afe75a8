package ds01.portal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged portal ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, the way an admin
 * starts it, so tests can watch what happens at start: which database it picks, what stops it, what it logs.
 */
final class PortalProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private PortalProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static PortalProcess start(Path workDir, Map<String, String> environment) throws IOException {
        String jar = System.getProperty("portal.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        Path log = Files.createTempFile(workDir, "portal-", ".log");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", Path.of(jar).toAbsolutePath().toString())
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("DS01_") || key.startsWith("QUARKUS_"));
        env.put("DS01_HTTP_PORT", String.valueOf(port));
        env.put("DS01_HTTP_HOST", "127.0.0.1");
        env.putAll(new HashMap<>(environment));
        return new PortalProcess(builder.start(), log, port);
    }

    /** Waits until the portal has started (true) or the process has exited (false). */
    boolean awaitStarted(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (output().contains("Listening on: http")) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("portal neither started nor exited within " + timeout + "; output:\n" + output());
    }

    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("portal still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    private final java.net.CookieManager cookies = new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL);

    private HttpClient client() {
        return HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).GET().build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON call to the API with the session of {@link #signIn}; {@code json} may be null for no body. */
    HttpResponse<String> api(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The same call, not waited for: what a user's browser had in flight when the portal died. */
    java.util.concurrent.CompletableFuture<HttpResponse<String>> apiAsync(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The process id, for tests that look at or signal the portal from outside. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A signed-in user with their own session, beside this process's own: tests that act as two users at once. */
    Session session(String username, String password) throws IOException, InterruptedException {
        Session session = new Session();
        session.signIn(username, password);
        return session;
    }

    /** Another cookie jar on the same portal: one user's session. */
    final class Session {
        private final java.net.CookieManager jar = new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL);

        private HttpClient client() {
            return HttpClient.newBuilder().cookieHandler(jar).followRedirects(HttpClient.Redirect.NEVER).build();
        }

        private void signIn(String username, String password) throws IOException, InterruptedException {
            HttpRequest page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
                    .header("Accept", "text/html").timeout(Duration.ofSeconds(30)).GET().build();
            String form = client().send(page, HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                    .matcher(form);
            if (!token.find()) {
                throw new AssertionError("no CSRF token on the sign-in page:\n" + form);
            }
            String body = "csrf-token=" + token.group(1) + "&username=" + username + "&password="
                    + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=/";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 303) {
                throw new AssertionError("sign-in as " + username + " failed: " + response.statusCode() + "\n"
                        + response.body());
            }
        }

        private HttpRequest request(String method, String path, String json) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Accept", "application/json").header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build();
        }

        HttpResponse<String> api(String method, String path, String json) throws IOException, InterruptedException {
            return client().send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
        }

        java.util.concurrent.CompletableFuture<HttpResponse<String>> apiAsync(String method, String path, String json) {
            return client().sendAsync(request(method, path, json), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Kills the portal as a crash or the OOM killer would (SIGKILL): no shutdown hooks run. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Signs in through the form, as a person would; the session cookie is kept for later calls. */
    void signIn(String username, String password) throws IOException, InterruptedException {
        String form = get("/signin", "text/html").body();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(form);
        if (!token.find()) {
            throw new AssertionError("no CSRF token on the sign-in page:\n" + form);
        }
        String body = "csrf-token=" + token.group(1) + "&username=" + username + "&password="
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "&next=/";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 303) {
            throw new AssertionError("sign-in as " + username + " failed: " + response.statusCode() + "\n" + response.body());
        }
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops the portal as systemd would (SIGTERM), letting it shut its database down. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
