package ds01.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every container made during the test run, inspected the moment the engine reports it created: none the
 * portal makes may be privileged, share the host's network, processes or IPC, add capabilities, publish a port
 * beyond loopback, or mount anything but its owner's workspace and the site mounts the tests configure. Registered
 * for every test class (META-INF/services, and the autodetection property the pom sets); a class whose containers break a rule
 * fails in its after-all with each container and what is wrong. A tally goes to target/containers-made*.txt.
 */
public class ContainersMadeCheck implements BeforeAllCallback, AfterAllCallback {

    /** The site mounts a test profile configures (ds01.testing.ContainerLimits): host path to inside, read-only. */
    static final Map<String, String> SITE_MOUNTS = Map.of("/usr/share/doc", "/site/doc");

    /** Marks a container a test makes on purpose to show these rules catching it. */
    static final String DELIBERATELY_UNSAFE = "ds01.test.deliberately-unsafe";

    private static final ExtensionContext.Namespace HERE = ExtensionContext.Namespace.create(ContainersMadeCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Watch.get();
        context.getStore(HERE).put("since", Instant.now().minusSeconds(1));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Instant since = context.getStore(HERE).get("since", Instant.class);
        Watch watch = Watch.get();
        watch.catchUp();
        List<Made> made = watch.since(since);
        List<String> unsafe = new ArrayList<>();
        int checked = 0;
        int gone = 0;
        for (Made m : made) {
            if (!m.inspected()) {
                gone++;
            } else if (m.problems().isEmpty()) {
                checked++;
            } else {
                unsafe.add(m.name() + ": " + String.join("; ", m.problems()));
            }
        }
        Files.writeString(Watch.TALLY, context.getRequiredTestClass().getSimpleName() + ": "
                + made.size() + " container(s) made, " + checked + " inspected and within the rules, " + gone
                + " removed before they could be inspected"
                + (unsafe.isEmpty() ? "" : "; UNSAFE: " + unsafe) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!unsafe.isEmpty()) {
            throw new AssertionError("containers made during " + context.getRequiredTestClass().getSimpleName()
                    + " break the portal's safety rules:\n  " + String.join("\n  ", unsafe));
        }
    }

    /** One container the engine reported created, with what is wrong with it (empty: nothing). */
    record Made(String id, String name, Instant created, boolean inspected, List<String> problems) {
    }

    /** What is wrong with a container the portal made; empty when it keeps every rule. */
    static List<String> problems(InspectContainerResponse container) {
        List<String> problems = new ArrayList<>();
        HostConfig host = container.getHostConfig();
        if (Boolean.TRUE.equals(host.getPrivileged())) {
            problems.add("privileged");
        }
        for (String[] mode : new String[][] {{"network", host.getNetworkMode()}, {"pid", host.getPidMode()},
                {"ipc", host.getIpcMode()}, {"userns", host.getUsernsMode()}}) {
            if ("host".equals(mode[1])) {
                problems.add(mode[0] + " namespace of the host");
            }
        }
        if (host.getCapAdd() != null && host.getCapAdd().length > 0) {
            problems.add("capabilities added: " + List.of(host.getCapAdd()));
        }
        if (host.getPortBindings() != null) {
            host.getPortBindings().getBindings().forEach((port, bindings) -> {
                for (Ports.Binding b : bindings == null ? new Ports.Binding[0] : bindings) {
                    if (!"127.0.0.1".equals(b.getHostIp())) {
                        problems.add("port " + port + " published on " + Optional.ofNullable(b.getHostIp())
                                .filter(ip -> !ip.isEmpty()).orElse("every address"));
                    }
                }
            });
        }
        Map<String, String> labels = container.getConfig().getLabels() == null ? Map.of()
                : container.getConfig().getLabels();
        String owner = Optional.ofNullable(labels.get(AimeLabels.USER)).orElse(labels.get("aime.mlc.USER"));
        Optional<Path> home = owner == null ? Optional.empty() : homeOf(owner);
        for (InspectContainerResponse.Mount mount : container.getMounts() == null
                ? List.<InspectContainerResponse.Mount>of() : container.getMounts()) {
            String inside = mount.getDestination() == null ? "?" : mount.getDestination().getPath();
            String source = String.valueOf(mount.getSource());
            boolean workspace = inside.equals("/workspace") && home.isPresent()
                    && Path.of(source).normalize().startsWith(home.get()) && Path.of(source).normalize().equals(Path.of(source));
            boolean site = inside.equals(SITE_MOUNTS.get(source)) && Boolean.FALSE.equals(mount.getRW());
            if (!workspace && !site) {
                problems.add("mount " + source + " -> " + inside + (Boolean.TRUE.equals(mount.getRW()) ? " (rw)" : " (ro)")
                        + " is neither " + (owner == null ? "an owner's" : owner + "'s") + " workspace nor a configured "
                        + "site mount");
            }
        }
        return problems;
    }

    private static Optional<Path> homeOf(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().map(l -> l.split(":"))
                    .filter(f -> f.length >= 6 && f[0].equals(user)).map(f -> Path.of(f[5])).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one subscription to the engine's events for the whole run, re-opened when the engine restarts. */
    static final class Watch {

        /** One tally per run: the unit tests' and the integration tests' (the packaged portal). */
        static final Path TALLY = Path.of("target", System.getProperty("portal.jar") == null ? "containers-made.txt"
                : "containers-made-it.txt");

        private static Watch instance;

        private final DockerClient docker = EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST",
                EngineConnection.DEFAULT_HOST));
        private final Map<String, Made> made = new ConcurrentHashMap<>();
        private volatile long lastEventSeconds = Instant.now().getEpochSecond();

        static synchronized Watch get() {
            if (instance == null) {
                try {
                    Files.createDirectories(TALLY.getParent());
                    Files.deleteIfExists(TALLY);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                instance = new Watch();
                instance.subscribe();
            }
            return instance;
        }

        private void subscribe() {
            docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("create")
                    .withSince(String.valueOf(lastEventSeconds)).exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event event) {
                            lastEventSeconds = Math.max(lastEventSeconds, event.getTime());
                            seen(event.getId(), Instant.ofEpochSecond(event.getTime()));
                        }

                        @Override
                        public void onError(Throwable failure) {
                            resubscribe();
                        }

                        @Override
                        public void onComplete() {
                            resubscribe();
                        }
                    });
        }

        /** The engine went away (a test restarts it): listen again from the last event, once it answers. */
        private void resubscribe() {
            Thread again = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                        docker.pingCmd().exec();
                        subscribe();
                        return;
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException engineStillDown) {
                        // the test that stopped it starts it again; keep asking
                    }
                }
            }, "containers-made-check");
            again.setDaemon(true);
            again.start();
        }

        private void seen(String id, Instant created) {
            if (made.containsKey(id)) {
                return;
            }
            try {
                InspectContainerResponse container = docker.inspectContainerCmd(id).exec();
                Map<String, String> labels = container.getConfig().getLabels() == null ? Map.of()
                        : container.getConfig().getLabels();
                boolean portals = labels.containsKey(AimeLabels.MANAGED) || labels.containsKey("aime.mlc");
                if (portals && !labels.containsKey(DELIBERATELY_UNSAFE)) {
                    made.put(id, new Made(id, container.getName(), created, true, problems(container)));
                }
            } catch (NotFoundException removedAlready) {
                // removed within milliseconds of its creation (a deploy undone at once): counted, not judged
                made.put(id, new Made(id, id, created, false, List.of()));
            }
        }

        /** Lets the stream deliver what the engine reported in the class's last moments. */
        void catchUp() throws InterruptedException {
            Thread.sleep(Duration.ofMillis(300).toMillis());
        }

        List<Made> since(Instant start) {
            return made.values().stream().filter(m -> !m.created().isBefore(start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                    .sorted(java.util.Comparator.comparing(Made::created)).toList();
        }
    }
}
