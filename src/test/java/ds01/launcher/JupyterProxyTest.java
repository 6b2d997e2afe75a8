package ds01.launcher;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URL;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jupyter proxy end to end against a real HTTP and websocket server on 127.0.0.1 (standing where the engine
 * publishes a container's Jupyter port): paths, query strings, headers, large bodies, websocket echo, the token
 * added by the portal and never shown to the browser, the portal's cookies kept from Jupyter, owner-only access,
 * and clear pages when Jupyter is down or not started.
 */
@QuarkusTest
class JupyterProxyTest {

    static final String TOKEN = "5f0c1d2e3b4a59687766554433221100ffeeddccbbaa99887766554433221100";
    static final String BASE = "/user/ds01alice/proxyproj/";
    static Vertx vertx;
    static HttpServer upstream;
    static final Map<String, JsonObject> seen = new ConcurrentHashMap<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL portal;

    @Inject
    JupyterServers servers;

    @BeforeAll
    static void startUpstream() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> {
            requests.add(req.uri());
            if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                seen.put(req.path(), new JsonObject().put("authorization", req.getHeader("Authorization")));
                req.toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage));
                return;
            }
            req.body().onSuccess(body -> {
                JsonObject record = new JsonObject().put("method", req.method().name()).put("uri", req.uri())
                        .put("authorization", req.getHeader("Authorization")).put("cookie", req.getHeader("Cookie"))
                        .put("custom", req.getHeader("X-Custom")).put("length", body.length())
                        .put("sha256", sha256(body.getBytes()));
                seen.put(req.path(), record);
                if (req.path().endsWith("/page")) {
                    req.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<html><script "
                            + "id=\"jupyter-config-data\">{\"token\": \"" + TOKEN + "\"}</script>stand-in page</html>");
                } else if (req.path().endsWith("/download")) {
                    req.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(new byte[3 << 20]));
                } else {
                    req.response().putHeader("Content-Type", "application/json").end(record.encode());
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long containerId;

    /** Alice's container for project proxyproj, its Jupyter "published" at {@code port}. */
    private void session(int port, String state) throws Exception {
        containerId = TestJupyter.session(dataSource, servers, "proxyproj", state, port, TOKEN);
    }

    @BeforeEach
    void aliceHasJupyter() throws Exception {
        seen.clear();
        requests.clear();
        session(upstream.actualPort(), "running");
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void pathsQueriesHeadersAndLargeBodiesPassWithTheTokenAddedAndThePortalsCookiesKept() throws Exception {
        ExtractableResponse<Response> echo = given().cookie("ds01-session", "portal-secret").cookie("_xsrf", "jupyters")
                .cookie("csrf-token", "portal-csrf").header("X-Custom", "kept").urlEncodingEnabled(false)
                .get(BASE + "api/contents/notes%20v2.ipynb/echo?type=notebook&content=1&x=%2F").then().extract();
        assertThat(echo.statusCode()).isEqualTo(200);
        JsonObject upstreamSaw = seen.get("/user/ds01alice/proxyproj/api/contents/notes%20v2.ipynb/echo");
        assertThat(upstreamSaw).as("the request reached Jupyter").isNotNull();
        assertThat(upstreamSaw.getString("uri")).isEqualTo(BASE + "api/contents/notes%20v2.ipynb/echo?type=notebook&content=1&x=%2F");
        assertThat(upstreamSaw.getString("authorization")).isEqualTo("token " + TOKEN);
        assertThat(upstreamSaw.getString("cookie")).isEqualTo("_xsrf=jupyters");
        assertThat(upstreamSaw.getString("custom")).isEqualTo("kept");
        assertThat(echo.asString()).as("Jupyter's answer, without the token").doesNotContain(TOKEN).contains("\"token \"");

        byte[] big = new byte[8 << 20];
        new java.util.Random(7).nextBytes(big);
        ExtractableResponse<Response> upload = given().contentType("application/octet-stream").body(big)
                .put(BASE + "api/contents/big.bin").then().extract();
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(seen.get(BASE + "api/contents/big.bin").getInteger("length")).isEqualTo(big.length);
        assertThat(seen.get(BASE + "api/contents/big.bin").getString("sha256")).isEqualTo(sha256(big));
        assertThat(given().get(BASE + "files/download").then().statusCode(200).extract().asByteArray()).hasSize(3 << 20);

        String page = given().get(BASE + "lab/page").then().statusCode(200).extract().asString();
        assertThat(page).contains("stand-in page").doesNotContain(TOKEN);

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select last_activity_at > now() - interval '1 minute' from container where id = "
                        + containerId)) {
            r.next();
            assertThat(r.getBoolean(1)).as("proxied traffic is activity").isTrue();
        }
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void websocketsAreProxiedBothWays() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(portal.getHost()).setPort(portal.getPort())
                .setURI(BASE + "api/kernels/k1/channels?session_id=s1")).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture<String> echoed = new java.util.concurrent.CompletableFuture<>();
        ws.textMessageHandler(echoed::complete);
        ws.writeTextMessage("{\"msg_type\": \"execute_request\", \"code\": \"1+1\"}");
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("{\"msg_type\": \"execute_request\", \"code\": \"1+1\"}");
        assertThat(seen.get(BASE + "api/kernels/k1/channels").getString("authorization")).isEqualTo("token " + TOKEN);
        ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        // a page on another site opening the same websocket with the user's cookies is refused
        java.util.concurrent.ExecutionException crossSite = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> client.connect(new WebSocketConnectOptions()
                        .setHost(portal.getHost()).setPort(portal.getPort()).addHeader("Origin", "https://evil.example")
                        .setURI(BASE + "api/kernels/k1/channels")).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertThat(crossSite.getCause()).hasMessageContaining("403");
        client.close();
    }

    @Test
    @TestSecurity(user = "ds01bob", roles = "user")
    void anotherUserGetsForbiddenAndNothingReachesJupyter() {
        for (String path : List.of(BASE, BASE + "lab/page", BASE + "api/contents/echo?x=1")) {
            ExtractableResponse<Response> refused = given().get(path).then().extract();
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.asString()).contains("belongs to another user").doesNotContain(TOKEN);
        }
        assertThat(given().contentType("application/json").body("{}").post(BASE + "api/kernels").then().extract()
                .statusCode()).isEqualTo(403);
        assertThat(requests).isEmpty();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void aJupyterThatIsDownOrNotStartedGetsAPageThatSaysSo() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        session(closed, "running");
        ExtractableResponse<Response> down = given().get(BASE + "lab").then().extract();
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(down.asString()).contains("Jupyter does not answer", "/launcher");

        session(upstream.actualPort(), "stopped");
        ExtractableResponse<Response> stopped = given().get(BASE + "lab").then().extract();
        assertThat(stopped.statusCode()).isEqualTo(404);
        assertThat(stopped.asString()).contains("Jupyter is not running");
        assertThat(requests).isEmpty();
    }
}
