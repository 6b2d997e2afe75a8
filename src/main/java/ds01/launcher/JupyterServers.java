package ds01.launcher;

import ds01.identity.PortalUsers;
import ds01.containers.ContainerRecords;
import ds01.containers.ContainerListing;
import ds01.engine.ContainerEngine;
import ds01.engine.ContainerSpec;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.identity.HostAccount;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Jupyter in users' containers: started on demand as the user, with a base URL under the portal
 * ({@code /user/<user>/<project>/}) and a random token only the portal holds, on the port the engine published on
 * 127.0.0.1; then found again for each proxied request.
 */
@ApplicationScoped
public class JupyterServers {

    /** Where the proxy sends a user's project path, and the token it adds. */
    public record Target(long containerId, int port, String token) {
    }

    /** JupyterLab where the image has it, else the classic notebook server; output to a log in the container. */
    static final String START = "if command -v jupyter-lab >/dev/null 2>&1; then exec jupyter-lab --no-browser "
            + "--ip=0.0.0.0 --port=" + ContainerSpec.JUPYTER_PORT + " --ServerApp.base_url=\"$DS01_BASE_URL\" "
            + "--ServerApp.allow_origin='*' --ServerApp.root_dir=/workspace >/tmp/ds01-jupyter.log 2>&1; "
            + "else exec jupyter-notebook --no-browser --ip=0.0.0.0 --port=" + ContainerSpec.JUPYTER_PORT
            + " --NotebookApp.base_url=\"$DS01_BASE_URL\" --NotebookApp.allow_origin='*' "
            + "--NotebookApp.notebook_dir=/workspace >/tmp/ds01-jupyter.log 2>&1; fi";

    private final ContainerListing listing;
    private final ContainerEngine engine;
    private final AuditLog auditLog;
    private final LauncherConfig config;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ContainerRecords containers;
    private final PortalUsers users;

    public JupyterServers(ContainerListing listing, ContainerEngine engine, AuditLog auditLog,
            LauncherConfig config, ContainerRecords containers, PortalUsers users) {
        this.users = users;
        this.containers = containers;
        this.listing = listing;
        this.engine = engine;
        this.auditLog = auditLog;
        this.config = config;
    }

    /** The path the portal serves a user's project's Jupyter under. */
    public static String basePath(String owner, String project) {
        return "/user/" + owner + "/" + project + "/";
    }

    /**
     * Starts Jupyter in the owner's running container (or finds it answering already) and returns the path to send
     * the browser to.
     *
     * @throws NotFoundException       for a container that is not the caller's (they learn nothing of it)
     * @throws WebApplicationException 409 when the container is not running, has no Jupyter, or it does not answer
     */
    public String open(HostAccount account, long containerId) {
        ContainerListing.ContainerView container = listing.one(containerId)
                .filter(c -> c.owner().equals(account.username()))
                .orElseThrow(() -> new NotFoundException("You have no container " + containerId + "."));
        if (!container.running()) {
            throw new WebApplicationException(container.name() + " is " + container.state() + "; start it first.", 409);
        }
        String dockerId = containers.dockerIdOf(containerId).orElseThrow(() -> new NotFoundException("You have no "
                + "container " + containerId + "."));
        int port = engine.publishedPort(dockerId, ContainerSpec.JUPYTER_PORT).orElseThrow(() ->
                new WebApplicationException(container.name() + " was made without a port for Jupyter (before the "
                        + "portal published one, or by AIME's mlc). Retire it and deploy it again: your workspace stays.",
                        409));
        String base = basePath(account.username(), container.project());
        Optional<Target> running = target(account.username(), container.project())
                .filter(t -> t.port() == port && answers(port, base, t.token()));
        if (running.isPresent()) {
            return base;
        }
        ContainerEngine.ExecResult has = engine.exec(dockerId, account.uid(), account.gid(), List.of("sh", "-c",
                "command -v jupyter-lab || command -v jupyter-notebook"), Map.of());
        if (has.exitCode() != 0) {
            throw new WebApplicationException("The image " + container.image() + " has no Jupyter. Build an image "
                    + "with step 2's default set (jupyterlab), retire this container and deploy that image.", 409);
        }
        String token = HexFormat.of().formatHex(bytes(32));
        // the token travels in the environment, not the command line, which every user of the host can read in ps
        engine.execDetached(dockerId, account.uid(), account.gid(), List.of("sh", "-c", START),
                Map.of("JUPYTER_TOKEN", token, "DS01_BASE_URL", base));
        Instant deadline = Instant.now().plus(config.jupyterStartTimeout());
        while (!answers(port, base, token)) {
            if (Instant.now().isAfter(deadline)) {
                String log = engine.exec(dockerId, account.uid(), account.gid(), List.of("sh", "-c",
                        "tail -n 20 /tmp/ds01-jupyter.log 2>/dev/null"), Map.of()).output().strip();
                throw new WebApplicationException("Jupyter did not answer within " + config.jupyterStartTimeout()
                        .toSeconds() + " s." + (log.isEmpty() ? "" : " Its last words: " + log), 409);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WebApplicationException("Interrupted while waiting for Jupyter.", e, 503);
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            JupyterSession.replace(containerId, token, port);
            auditLog.record(Actor.user(account.username()), "jupyter.open", container.name(), "at " + base);
        });
        forget(account.username(), container.project());
        return base;
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    /**
     * How long a proxy target is taken as known without asking the database: each proxied request (every file,
     * every API call of JupyterLab) would otherwise cost a query. A stop or restart shows within this time; a
     * connection refused before then drops the entry at once.
     */
    private static final Duration TARGET_CACHE = Duration.ofSeconds(5);

    private record Cached(Optional<Target> target, Instant until) {
    }

    private final java.util.Map<String, Cached> targets = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The running Jupyter of a user's project: only one the portal started since the container last started (a
     * restart ends the server and may move the port).
     */
    public Optional<Target> target(String owner, String project) {
        Cached cached = targets.get(owner + "/" + project);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.target();
        }
        Optional<Target> found = lookUp(owner, project);
        targets.put(owner + "/" + project, new Cached(found, Instant.now().plus(TARGET_CACHE)));
        return found;
    }

    /**
     * What {@link #target} remembers, without asking the database: null when it does not know (then ask
     * {@link #target}, which blocks); cheap enough for an event loop.
     */
    public Optional<Target> remembered(String owner, String project) {
        Cached cached = targets.get(owner + "/" + project);
        return cached != null && cached.until().isAfter(Instant.now()) ? cached.target() : null;
    }

    /** Forgets what {@link #target} remembered (a new server, or one that stopped answering). */
    public void forget(String owner, String project) {
        targets.remove(owner + "/" + project);
    }

    private Optional<Target> lookUp(String owner, String project) {
        OptionalLong ownerId = users.idOf(owner);
        if (ownerId.isEmpty()) {
            return Optional.empty();
        }
        return containers.runningOf(ownerId.getAsLong(), project).flatMap(running -> QuarkusTransaction.requiringNew()
                .call(() -> JupyterSession.currentIn(running.id(), running.startedAt()))
                .map(s -> new Target(running.id(), s.hostPort, s.token)));
    }

    private boolean answers(int port, String base, String token) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + base
                    + "api/status")).header("Authorization", "token " + token).timeout(Duration.ofSeconds(3)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
