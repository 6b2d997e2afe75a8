package ds01.portal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import ds01.database.EmbeddedPostgres;
import ds01.testing.CleanMachine;
import ds01.testing.TestMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: the packaged portal is killed (SIGKILL) {@value #KILLS} times, each at a random moment of a deploy,
 * a retire or a lifecycle sweep (chosen by a seeded {@link Random}; the seed is printed, and
 * {@code -Dcrash.seed=...} repeats a run), and started again each time. Two users act, each with a quota of one GPU
 * slot and two containers, on a machine with one GPU, so deploys also wait in the GPU queue. The limits' clocks
 * are seconds long, so the sweep warns, stops and removes containers all through.
 *
 * <p>After each restart, and once more at the end: every container on the engine labelled with a user has its
 * record and every live record its container; no record is stuck between the steps of a deploy; a running
 * container's record says running; every live GPU allocation names a live container the engine has; no waiting GPU
 * request belongs to a closed container; no user holds more than the limits file allows; and every file written
 * into a workspace (on the host, or through the container with the engine's exec) is still there with its content.
 *
 * <p>The test runs one PostgreSQL of its own (the portal's built-in one, started here) and points each portal
 * process at it, so the checks read the database directly and a restart does not start a server each time.
 */
@ExtendWith(CleanMachine.class)
class CrashIT {

    private static final int KILLS = 54;
    private static final Duration START = Duration.ofSeconds(120);
    /** How long a disagreement may last before it counts: a step the portal is taking right now (ms, or a 1 s stop). */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final List<String> USERS = List.of("ds01alice", "ds01bob");
    private static final String PASSWORD = "ds01-test-password";
    private static final String IMAGE = "ds01-test/base:latest";
    /** What limits-crash.yaml allows each user. */
    private static final int MAX_CONTAINERS = 2;
    private static final int MAX_SLOTS = 1;
    private static final List<String> KINDS = List.of("deploy", "retire", "lifecycle");
    private static final Pattern CORRECTIONS = Pattern.compile("reconciled at start: (\\d+) correction");

    @TempDir
    Path tmp;

    private final DockerClient docker = TestMachine.engine();
    private EmbeddedPostgres database;
    private PortalProcess portal;
    /** Every file written into a workspace, with its content. */
    private final Map<Path, String> written = new LinkedHashMap<>();
    /** Workspace directories this test made, removed after it (the portal never removes one). */
    private final Set<Path> madeWorkspaces = new LinkedHashSet<>();
    private String prefix;

    @AfterEach
    void cleanUp() throws Exception {
        if (portal != null) {
            portal.kill();
        }
        if (database != null) {
            database.stop();
        }
        for (Path dir : madeWorkspaces) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private List<Container> containersOf(String user) {
        return TestMachine.containersOf(user);
    }

    @Test
    void killedAtRandomMomentsTheDatabaseAndTheEngineStillAgreeAndNoWorkspaceFileIsLost() throws Exception {
        long seed = Long.getLong("crash.seed", System.currentTimeMillis());
        prefix = "crash" + Long.toString(Math.abs(seed) % 100_000, 36);
        System.out.println("CRASH seed=" + seed + " (repeat with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Instant began = Instant.now();

        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        database = EmbeddedPostgres.start(tmp.resolve("db"), "ds01-db");
        Map<String, String> env = new HashMap<>();
        env.put("DS01_DATA_DIR", tmp.resolve("data").toString());
        env.put("DS01_DB_URL", database.jdbcUrl());
        env.put("DS01_DB_USER", database.username());
        env.put("DS01_DB_PASSWORD", database.password());
        env.put("DS01_NVIDIA_SMI", Path.of("testing/bin/nvidia-smi").toAbsolutePath().toString());
        // one whole GPU: two users with a slot each means one of them waits in the queue
        env.put("DS01_FAKE_GPU_MACHINE", "h100");
        env.put("DS01_LIMITS_FILE", Path.of("src/test/resources/limits-crash.yaml").toAbsolutePath().toString());
        env.put("DS01_BASE_IMAGES", IMAGE);
        env.put("DS01_LIFECYCLE_INTERVAL", "1s");
        env.put("DS01_LIFECYCLE_FIRST_DELAY", "1s");
        // holds end and the queue is served every 2 s, not every 30
        env.put("DS01_GPU_SWEEP", "2s");

        Map<String, Integer> kills = new TreeMap<>();
        List<Integer> corrections = new ArrayList<>();
        int unsettled = 0;
        int sweepActions = 0;
        Map<String, Integer> correctionKinds = new TreeMap<>();
        for (int round = 0; round < KILLS; round++) {
            portal = started(env);
            corrections.add(corrections(portal));
            Map<String, PortalProcess.Session> sessions = new HashMap<>();
            for (String user : USERS) {
                sessions.put(user, portal.session(user, PASSWORD));
            }
            unsettled += check("after restart " + round);

            String kind = KINDS.get(random.nextInt(KINDS.size()));
            String user = USERS.get(random.nextInt(USERS.size()));
            switch (kind) {
                case "deploy" -> midDeploy(sessions.get(user), user, round, random);
                case "retire" -> midRetire(sessions, user, round, random);
                default -> midSweep(sessions.get(user), user, round, random);
            }
            portal.kill();
            kills.merge(kind, 1, Integer::sum);
            sweepActions += count(portal.output(), "lifecycle: ");
            correctionKinds(portal.output(), correctionKinds);
        }

        portal = started(env);
        corrections.add(corrections(portal));
        unsettled += check("after the last restart");
        // the sweep stops and removes what is left, the queue serves who waits: once that has settled, look again
        Instant quiet = Instant.now().plusSeconds(30);
        while (!live().isEmpty() && Instant.now().isBefore(quiet)) {
            Thread.sleep(500);
        }
        unsettled += check("at the end");
        sweepActions += count(portal.output(), "lifecycle: ");
        correctionKinds(portal.output(), correctionKinds);
        portal.close();
        portal = null;
        Map<String, Integer> audited = audited();

        assertThat(kills.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(50);
        assertThat(written).as("files were written into workspaces").isNotEmpty();
        System.out.println("CRASH seed=" + seed + " kills=" + KILLS + " by moment " + kills + "; reconciler corrections "
                + "at start: " + corrections.stream().mapToInt(Integer::intValue).sum() + " in all, by start "
                + corrections + "; lifecycle actions logged " + sweepActions + "; workspace files checked "
                + written.size() + "; checks that waited for a step under way " + unsettled + "; took "
                + Duration.between(began, Instant.now()).toSeconds() + " s");
        System.out.println("CRASH seed=" + seed + " corrections by kind " + correctionKinds);
        System.out.println("CRASH seed=" + seed + " audit events " + audited);
    }

    private PortalProcess started(Map<String, String> env) throws Exception {
        PortalProcess started = PortalProcess.start(tmp, env);
        assertThat(started.awaitStarted(START)).as(started.output()).isTrue();
        return started;
    }

    private static int corrections(PortalProcess portal) throws IOException {
        Matcher m = CORRECTIONS.matcher(portal.output());
        assertThat(m.find()).as("the reconciler ran at start:\n" + portal.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static final Pattern CORRECTION = Pattern.compile("((?:container|gpu)\\.[a-z-]+) \\S+: ([^;,(]+)");

    /** The reconciler's corrections in a portal's log, counted by kind: what the kills had left behind. */
    private static void correctionKinds(String output, Map<String, Integer> kinds) {
        for (String line : output.split("\n")) {
            int at = line.indexOf("reconciler: ");
            if (at < 0) {
                continue;
            }
            Matcher m = CORRECTION.matcher(line.substring(at + "reconciler: ".length()));
            while (m.find()) {
                kinds.merge(m.group(1) + " (" + m.group(2).strip() + ")", 1, Integer::sum);
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    // --- the three kinds of moment ------------------------------------------------------------------------

    /** A deploy (with a GPU or without) of a new project whose workspace already holds a file. */
    private void midDeploy(PortalProcess.Session session, String user, int round, Random random) throws Exception {
        List<Live> mine = live().stream().filter(l -> l.owner.equals(user)).toList();
        if (mine.size() >= MAX_CONTAINERS) {
            // make room, so the deploy gets past its count check (the sweep may have retired it first: 404)
            session.api("DELETE", "/api/containers/" + mine.get(0).id, null);
        }
        String project = prefix + "-" + round;
        writeOnHost(user, project, "before-deploy.txt", "written before deploy " + round + "\n");
        int gpus = random.nextInt(3) == 0 ? 0 : 1;
        session.apiAsync("POST", "/api/containers", "{\"project\": \"" + project + "\", \"image\": \"" + IMAGE
                + "\", \"gpus\": " + gpus + "}");
        Thread.sleep(random.nextInt(1500));
    }

    /** A retire of one of the user's containers (the other's, or a new one, where they have none). */
    private void midRetire(Map<String, PortalProcess.Session> sessions, String user, int round, Random random)
            throws Exception {
        Optional<Live> target = retirable(user).or(() -> retirable(other(user)));
        if (target.isEmpty()) {
            deployNow(sessions.get(user), user, round, random.nextInt(3) == 0 ? 0 : 1);
            target = retirable(user).or(() -> retirable(other(user)));
        }
        if (target.isEmpty()) {
            // the deploy waits in the queue, or the sweep was quicker: retire the waiting one
            target = live().stream().filter(l -> l.owner.equals(user)).findFirst();
        }
        assertThat(target).as("something to retire").isPresent();
        writeThroughContainer(target.get(), round);
        String waiter = other(target.get().owner);
        if (holdsGpu(target.get()) && random.nextBoolean()
                && live().stream().filter(l -> l.owner.equals(waiter)).count() < MAX_CONTAINERS) {
            // the other user waits for the GPU this retire frees: the kill may also land in the deploy the queue
            // then continues
            deployNow(sessions.get(waiter), waiter, round, 1);
        }
        sessions.get(target.get().owner).apiAsync("DELETE", "/api/containers/" + target.get().id, null);
        Thread.sleep(random.nextInt(2500));
    }

    /** The lifecycle sweep at work: it warns, stops and removes every container within seconds of its start. */
    private void midSweep(PortalProcess.Session session, String user, int round, Random random) throws Exception {
        if (live().stream().noneMatch(l -> l.state.equals("running") || l.state.equals("stopped"))) {
            deployNow(session, user, round, random.nextInt(3) == 0 ? 0 : 1);
        }
        for (Live l : live()) {
            if (l.state.equals("running")) {
                writeThroughContainer(l, round);
                break;
            }
        }
        Thread.sleep(random.nextInt(5000));
    }

    private void deployNow(PortalProcess.Session session, String user, int round, int gpus) throws Exception {
        String project = prefix + "-" + round;
        writeOnHost(user, project, "before-deploy.txt", "written before deploy " + round + "\n");
        HttpResponse<String> deployed = session.api("POST", "/api/containers", "{\"project\": \"" + project
                + "\", \"image\": \"" + IMAGE + "\", \"gpus\": " + gpus + "}");
        // 201 running or 202 queued; a refusal (409, the user's count or quota) is an answer too, but not a 5xx
        assertThat(deployed.statusCode()).as(deployed.body()).isLessThan(500);
    }

    private Optional<Live> retirable(String user) {
        try {
            return live().stream().filter(l -> l.owner.equals(user))
                    .filter(l -> l.state.equals("running") || l.state.equals("stopped")).findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean holdsGpu(Live container) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select 1 from allocation where released_at is null and container_id = " + container.id)) {
            return r.next();
        }
    }

    /** What the portal did, from its audit log: how many deploys waited, were undone, how many stops and removals. */
    private Map<String, Integer> audited() throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select case when action = 'gpu.grant' and detail like '%from the queue%' then 'gpu.grant-from-queue' "
                        + "else action end, count(*) from audit_event where action in ('container.deploy', "
                        + "'container.queue', 'gpu.grant', 'container.deploy-undone', 'container.deploy-failed', "
                        + "'container.vanished', 'container.state', 'container.stop', 'container.retire', "
                        + "'gpu.queue-cancel', 'gpu.release') group by 1 order by 1")) {
            while (r.next()) {
                counts.put(r.getString(1), r.getInt(2));
            }
        }
        return counts;
    }

    private static String other(String user) {
        return USERS.get(1 - USERS.indexOf(user));
    }

    // --- workspace files --------------------------------------------------------------------------------

    private void writeOnHost(String user, String project, String name, String content) throws IOException {
        Path home = Path.of("/home", user);
        int uid = (Integer) Files.getAttribute(home, "unix:uid");
        int gid = (Integer) Files.getAttribute(home, "unix:gid");
        Path workspace = home.resolve("workspace").resolve(project);
        for (Path dir : List.of(home.resolve("workspace"), workspace)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                Files.setAttribute(dir, "unix:gid", gid);
                Files.setAttribute(dir, "unix:uid", uid);
            }
        }
        madeWorkspaces.add(workspace);
        Path file = workspace.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setAttribute(file, "unix:gid", gid);
        Files.setAttribute(file, "unix:uid", uid);
        written.put(file, content);
    }

    /** Through the engine's exec, as the container's user, into /workspace; kept when the write succeeded. */
    private void writeThroughContainer(Live container, int round) {
        String name = "through-container-" + round + ".txt";
        String content = "written in " + container.name + " in round " + round;
        try {
            ExecCreateCmdResponse exec = docker.execCreateCmd(container.name).withAttachStdout(true)
                    .withAttachStderr(true).withCmd("sh", "-c", "printf '%s' '" + content + "' > /workspace/" + name)
                    .exec();
            docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10,
                    TimeUnit.SECONDS);
            Long exit = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
            if (exit == null || exit != 0) {
                return;
            }
        } catch (RuntimeException e) {
            // the sweep stopped it meanwhile: nothing was written
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Path file = Path.of("/home", container.owner, "workspace", container.project, name);
        madeWorkspaces.add(file.getParent());
        written.put(file, content);
    }

    // --- the checks -------------------------------------------------------------------------------------

    /** A live (not retired) container record as the database has it. */
    private record Live(long id, String name, String project, String state, String owner) {
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    private List<Live> live() throws SQLException {
        List<Live> live = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select c.id, c.name, c.project, c.state, u.username from container c join portal_user u "
                        + "on u.id = c.owner_id where c.retired_at is null order by c.id")) {
            while (r.next()) {
                live.add(new Live(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)));
            }
        }
        return live;
    }

    /**
     * Checks that the database and the engine agree, looking again while a step the portal is taking right now
     * (a stop's grace second, the write after an engine call) explains a difference; a difference that outlasts
     * {@link #SETTLE} fails the test. Workspace files are checked once: they never come back.
     *
     * @return 1 when the first look found a step under way, else 0
     */
    private int check(String when) throws Exception {
        for (Map.Entry<Path, String> file : written.entrySet()) {
            assertThat(file.getKey()).as(when + ": a workspace file is kept").exists();
            assertThat(Files.readString(file.getKey())).as(when + ": " + file.getKey()).isEqualTo(file.getValue());
        }
        Instant deadline = Instant.now().plus(SETTLE);
        List<String> problems = problems();
        int looks = 1;
        while (!problems.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            problems = problems();
            looks++;
        }
        assertThat(problems).as(when + ": the database and the engine agree (still after " + SETTLE + ", " + looks
                + " looks); portal output:\n" + (portal == null ? "" : portal.output())).isEmpty();
        return looks > 1 ? 1 : 0;
    }

    private List<String> problems() throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, String> onEngine = new HashMap<>();
        Map<String, Integer> enginePerUser = new HashMap<>();
        for (String user : USERS) {
            for (Container c : containersOf(user)) {
                onEngine.put(c.getNames()[0].substring(1), c.getState());
                enginePerUser.merge(user, 1, Integer::sum);
            }
        }
        List<Live> records = live();
        Map<String, Live> byName = new HashMap<>();
        Map<String, Integer> recordsPerUser = new HashMap<>();
        for (Live r : records) {
            byName.put(r.name, r);
            recordsPerUser.merge(r.owner, 1, Integer::sum);
            String engineState = onEngine.get(r.name);
            switch (r.state) {
                case "queued" -> {
                    if (engineState != null) {
                        problems.add("record " + r + " waits for a GPU, yet the engine has its container (" + engineState
                                + ")");
                    }
                }
                case "running", "stopped" -> {
                    if (engineState == null) {
                        problems.add("record " + r + " has no container on the engine");
                    } else if (engineState.equals("running") != r.state.equals("running")) {
                        problems.add("record " + r + " but the engine's container is " + engineState);
                    }
                }
                default -> problems.add("record " + r + " is stuck between the steps of a deploy");
            }
        }
        onEngine.forEach((name, state) -> {
            if (!byName.containsKey(name)) {
                problems.add("the engine's container " + name + " (" + state + ") has no live record");
            }
        });
        for (String user : USERS) {
            if (recordsPerUser.getOrDefault(user, 0) > MAX_CONTAINERS) {
                problems.add(user + " has " + recordsPerUser.get(user) + " live records, more than " + MAX_CONTAINERS);
            }
            if (enginePerUser.getOrDefault(user, 0) > MAX_CONTAINERS) {
                problems.add(user + " has " + enginePerUser.get(user) + " containers on the engine, more than "
                        + MAX_CONTAINERS);
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Map<String, Integer> slotsPerUser = new HashMap<>();
            Set<String> slots = new LinkedHashSet<>();
            try (ResultSet r = s.executeQuery("select a.slot_id, a.container_id, u.username, c.name, c.retired_at, "
                    + "c.state from allocation a join portal_user u on u.id = a.owner_id left join container c on "
                    + "c.id = a.container_id where a.released_at is null")) {
                while (r.next()) {
                    String allocation = "allocation of slot " + r.getString(1) + " to " + r.getString(3)
                            + " for container " + r.getObject(2) + " (" + r.getString(4) + ", " + r.getString(6) + ")";
                    slotsPerUser.merge(r.getString(3), 1, Integer::sum);
                    if (!slots.add(r.getString(1))) {
                        problems.add("slot " + r.getString(1) + " has two live allocations");
                    }
                    if (r.getObject(2) == null) {
                        problems.add(allocation + " names no container");
                    } else if (r.getObject(5) != null) {
                        problems.add(allocation + ": its container is closed");
                    } else if (!onEngine.containsKey(r.getString(4))) {
                        problems.add(allocation + ": the engine has no such container");
                    }
                }
            }
            slotsPerUser.forEach((user, n) -> {
                if (n > MAX_SLOTS) {
                    problems.add(user + " holds " + n + " GPU slots, more than " + MAX_SLOTS);
                }
            });
            try (ResultSet r = s.executeQuery("select r.id, r.container_id, c.name, c.state, c.retired_at from "
                    + "gpu_request r left join container c on c.id = r.container_id where r.state = 'waiting'")) {
                while (r.next()) {
                    if (r.getObject(2) != null && (r.getObject(5) != null || !"queued".equals(r.getString(4)))) {
                        problems.add("GPU request " + r.getLong(1) + " waits for container " + r.getString(3) + ", which is "
                                + r.getString(4) + (r.getObject(5) != null ? " and closed" : ""));
                    }
                }
            }
        }
        return problems;
    }
}
