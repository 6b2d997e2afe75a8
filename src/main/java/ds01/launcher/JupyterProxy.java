package ds01.launcher;

import ds01.identity.SessionCookie;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The portal's reverse proxy to Jupyter: {@code /user/<user>/<project>/...}, HTTP and websockets, for the signed-in
 * owner only (anyone else gets 403 and learns nothing). It adds the server's token itself and takes it out of any
 * page or JSON Jupyter sends back, so the token never reaches a browser; the portal's own cookies never reach
 * Jupyter (code in the container must not get the user's portal session). Every request counts as activity.
 */
@ApplicationScoped
public class JupyterProxy {

    private static final Logger LOG = Logger.getLogger(JupyterProxy.class);
    static final Pattern PATH = Pattern.compile("/user/([a-z_][a-z0-9_-]{0,31})/([a-z0-9][a-z0-9_.-]{0,62})(/.*)?");
    /** The portal's cookies: its session, CSRF token and flash message. */
    private static final Set<String> PORTAL_COOKIES = Set.of(SessionCookie.NAME, "csrf-token", "ds01-flash");

    private final JupyterServers servers;
    private final ContainerActivity activity;
    private final Vertx vertx;
    private HttpClient client;

    public JupyterProxy(JupyterServers servers, ContainerActivity activity, Vertx vertx) {
        this.servers = servers;
        this.activity = activity;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent start) {
        // upgraded (websocket) connections stay counted in the pool: it must hold every open kernel and terminal
        client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(10_000).setConnectTimeout(5000)
                .setMaxWebSockets(10_000));
    }

    void routes(@Observes Router router) {
        // after the security handlers (sign-in, the authenticated policy), before Quarkus REST
        router.route("/user/*").order(io.quarkus.vertx.http.runtime.RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Matcher path = PATH.matcher(request.path());
        if (!path.matches()) {
            page(rc, 404, "Not found", "There is no such Jupyter path.");
            return;
        }
        String owner = path.group(1);
        String project = path.group(2);
        SecurityIdentity identity = rc.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous() || !identity.getPrincipal().getName().equals(owner)) {
            page(rc, 403, "Not yours", "This Jupyter belongs to another user; only its owner may open it.");
            return;
        }
        if (crossSiteWebSocket(request)) {
            page(rc, 403, "Not from here", "A websocket to Jupyter may only be opened by the portal's own pages.");
            return;
        }
        if (path.group(3) == null) {
            rc.redirect(request.path() + "/");
            return;
        }
        Optional<JupyterServers.Target> known = servers.remembered(owner, project);
        if (known != null) {
            proceed(rc, owner, project, known.orElse(null));
            return;
        }
        request.pause();
        vertx.<JupyterServers.Target>executeBlocking(() -> servers.target(owner, project).orElse(null), false)
                .onComplete(found -> {
                    if (found.failed()) {
                        LOG.errorf(found.cause(), "looking up the Jupyter of %s/%s", owner, project);
                        page(rc, 503, "Cannot look up your Jupyter", "The portal's database did not answer: "
                                + escape(found.cause().getMessage()) + ". Try again in a minute.");
                        return;
                    }
                    proceed(rc, owner, project, found.result());
                });
    }

    private void proceed(RoutingContext rc, String owner, String project, JupyterServers.Target target) {
        if (target == null) {
            page(rc, 404, "Jupyter is not running", "No Jupyter runs for project " + project + ". Open it "
                    + "from the <a href=\"/launcher\">launcher</a>.");
            return;
        }
        if (activity.due(target.containerId())) {
            vertx.executeBlocking(() -> {
                activity.record(target.containerId());
                return null;
            }, false).onFailure(e -> LOG.warnf(e, "recording activity of container %d", target.containerId()));
        }
        forward(rc.request(), owner, project, target);
    }

    /**
     * A websocket a page on another site opens carries the user's cookies but that site's Origin; Jupyter's own
     * origin check cannot tell (it allows any origin, the proxy adding the token), so the proxy does.
     */
    static boolean crossSiteWebSocket(HttpServerRequest request) {
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            return false;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return false; // not a browser: no cookies of a victim to ride on
        }
        try {
            java.net.URI from = java.net.URI.create(origin);
            String host = request.authority() == null ? null : request.authority().host();
            int port = request.authority() == null ? -1 : request.authority().port();
            int fromPort = from.getPort() != -1 ? from.getPort() : "https".equals(from.getScheme()) ? 443 : 80;
            int hostPort = port != -1 ? port : request.isSSL() ? 443 : 80;
            String forwarded = request.getHeader("X-Forwarded-Host");
            boolean sameHost = from.getHost() != null && (from.getHost().equalsIgnoreCase(host)
                    || (forwarded != null && forwarded.split(":")[0].equalsIgnoreCase(from.getHost())));
            return !(sameHost && (forwarded != null || fromPort == hostPort));
        } catch (IllegalArgumentException bad) {
            return true;
        }
    }

    private void forward(HttpServerRequest request, String owner, String project, JupyterServers.Target target) {
        String cookies = request.getHeader(HttpHeaders.COOKIE);
        if (cookies != null) {
            String kept = Arrays.stream(cookies.split(";")).map(String::strip)
                    .filter(c -> !PORTAL_COOKIES.contains(c.split("=", 2)[0].strip())).collect(Collectors.joining("; "));
            if (kept.isEmpty()) {
                request.headers().remove(HttpHeaders.COOKIE);
            } else {
                request.headers().set(HttpHeaders.COOKIE, kept);
            }
        }
        request.headers().set(HttpHeaders.AUTHORIZATION, "token " + target.token());
        // plain bodies, so the token can be taken out of them
        request.headers().remove(HttpHeaders.ACCEPT_ENCODING);
        HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client)
                .origin(target.port(), "127.0.0.1")
                .addInterceptor(new TokenScrubber(target.token(), () -> servers.forget(owner, project)))
                .handle(request);
    }

    /** Takes the token out of text Jupyter sends (JupyterLab's page config carries it) and explains a dead upstream. */
    private static final class TokenScrubber implements ProxyInterceptor {
        private final byte[] token;
        private final Runnable unreachable;

        TokenScrubber(String token, Runnable unreachable) {
            this.token = token.getBytes(StandardCharsets.ISO_8859_1);
            this.unreachable = unreachable;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            return context.sendRequest().recover(failure -> {
                unreachable.run();
                return Future.succeededFuture(context.request().response()
                    .setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                    .setBody(Body.body(Buffer.buffer(html("Jupyter does not answer", "Jupyter in this container does "
                            + "not answer (" + escape(failure.getMessage()) + "). It may have stopped, or the container "
                            + "restarted: open it again from the <a href=\"/launcher\">launcher</a>.")))));
            });
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            ProxyResponse response = context.response();
            String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
            if (type == null || !(type.startsWith("text/") || type.contains("json") || type.contains("javascript"))) {
                return context.sendResponse();
            }
            return collect(response.getBody().stream()).compose(body -> {
                // byte for byte: ISO-8859-1 maps each byte to one char, and the token is plain hex
                String text = body.toString(StandardCharsets.ISO_8859_1);
                String tokenText = new String(token, StandardCharsets.ISO_8859_1);
                if (text.contains(tokenText)) {
                    response.setBody(Body.body(Buffer.buffer(text.replace(tokenText, "")
                            .getBytes(StandardCharsets.ISO_8859_1))));
                } else {
                    response.setBody(Body.body(body));
                }
                return context.sendResponse();
            });
        }
    }

    private static Future<Buffer> collect(ReadStream<Buffer> stream) {
        Promise<Buffer> done = Promise.promise();
        Buffer all = Buffer.buffer();
        stream.exceptionHandler(done::tryFail);
        stream.handler(all::appendBuffer);
        stream.endHandler(v -> done.tryComplete(all));
        stream.resume();
        return done.future();
    }

    private static void page(RoutingContext rc, int status, String title, String message) {
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .end(html(title, message));
    }

    private static String html(String title, String message) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + " - DS01 Portal</title>"
                + "<link rel=\"stylesheet\" href=\"/webjars/bootstrap/css/bootstrap.min.css\"></head><body class=\"p-4\">"
                + "<h1 class=\"h3\">" + title + "</h1><p id=\"proxy-message\">" + message + "</p></body></html>";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
