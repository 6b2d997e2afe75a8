package ds01.launcher;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests per second and p50/p99 latency through the Jupyter proxy against the same upstream (an HTTP and
 * websocket server on 127.0.0.1, where the engine publishes a container's Jupyter port) reached directly, and
 * how many websockets the proxy holds at once without error. Run by testing/bench/proxy.sh (the name does not end
 * in Test); it prints, it does not judge.
 */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class ProxyBench {

    static final String TOKEN = "0".repeat(64);
    static final String BASE = "/user/ds01alice/benchproj/";
    static final int CONCURRENCY = 50;
    static final int REQUESTS = 20_000;
    static final int[] WEBSOCKETS = {250, 500, 1000, 2000};

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL portal;

    @Inject
    JupyterServers servers;

    @Test
    void measure() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            byte[] page = "x".repeat(4096).getBytes();
            HttpServer upstream = vertx.createHttpServer().requestHandler(req -> {
                if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
                    req.toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage));
                    return;
                }
                req.response().putHeader("Content-Type", "application/octet-stream").end(io.vertx.core.buffer.Buffer.buffer(page));
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            session(upstream.actualPort());

            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(CONCURRENCY));
            run(client, "127.0.0.1", upstream.actualPort(), 2_000); // warm up both paths
            run(client, portal.getHost(), portal.getPort(), 2_000);
            List<Long> direct = run(client, "127.0.0.1", upstream.actualPort(), REQUESTS);
            long directNanos = last;
            List<Long> proxied = run(client, portal.getHost(), portal.getPort(), REQUESTS);
            long proxiedNanos = last;
            report("direct", direct, directNanos);
            report("proxied", proxied, proxiedNanos);

            WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(5000));
            for (int n : WEBSOCKETS) {
                List<WebSocket> open = new ArrayList<>();
                AtomicInteger echoed = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                List<Future<Void>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Promise<Void> done = Promise.promise();
                    all.add(done.future());
                    sockets.connect(new WebSocketConnectOptions().setHost(portal.getHost()).setPort(portal.getPort())
                            .setURI(BASE + "api/kernels/k/channels")).onSuccess(ws -> {
                                synchronized (open) {
                                    open.add(ws);
                                }
                                ws.textMessageHandler(m -> {
                                    echoed.incrementAndGet();
                                    done.tryComplete();
                                });
                                ws.writeTextMessage("ping");
                            }).onFailure(e -> {
                                failed.incrementAndGet();
                                done.tryComplete();
                            });
                }
                try {
                    Future.join(new ArrayList<>(all)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stalled) {
                    // reported below as the ones neither echoed nor failed
                }
                System.out.printf(Locale.ROOT, "BENCH proxy websockets asked=%d held=%d echoed=%d failed=%d stalled=%d%n",
                        n, open.size(), echoed.get(), failed.get(), n - echoed.get() - failed.get());
                for (WebSocket ws : open) {
                    ws.close();
                }
                Thread.sleep(1000);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private long last;

    /** {@code count} GETs of a 4 KiB page with {@link #CONCURRENCY} in flight; each one's latency in nanoseconds. */
    private List<Long> run(HttpClient client, String host, int port, int count) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(count));
        AtomicInteger started = new AtomicInteger();
        Promise<Void> finished = Promise.promise();
        AtomicInteger done = new AtomicInteger();
        long begin = System.nanoTime();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started.incrementAndGet() > count) {
                return;
            }
            long t = System.nanoTime();
            client.request(HttpMethod.GET, port, host, BASE + "files/page").compose(r -> r.send().compose(res -> res.body()))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            latencies.add(System.nanoTime() - t);
                        }
                        if (done.incrementAndGet() == count) {
                            finished.complete();
                        } else {
                            next[0].run();
                        }
                    });
        };
        for (int i = 0; i < CONCURRENCY; i++) {
            next[0].run();
        }
        finished.future().toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
        last = System.nanoTime() - begin;
        return latencies;
    }

    private static void report(String path, List<Long> latencies, long nanos) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "BENCH proxy %s requests=%d ok=%d concurrency=%d rps=%.0f p50=%.2fms p99=%.2fms%n",
                path, REQUESTS, sorted.size(), CONCURRENCY, sorted.size() / (nanos / 1e9),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }

    private void session(int port) throws Exception {
        TestJupyter.session(dataSource, servers, "benchproj", "running", port, TOKEN);
    }
}
