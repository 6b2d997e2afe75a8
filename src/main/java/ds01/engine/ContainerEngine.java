package ds01.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine as the portal uses it: a few verbs, like JupyterHub's Spawner. One real implementation
 * ({@link DockerContainerEngine}, docker-java); every container operation of the portal goes through here.
 * Failures are {@link EngineException}s with a message a person can act on.
 */
public interface ContainerEngine {

    /** Creates (does not start) the container; returns its id. */
    String create(ContainerSpec spec);

    void start(String id);

    /** SIGTERM, then SIGKILL after {@code grace}. Stopping a stopped container is not an error. */
    void stop(String id, Duration grace);

    /** Removes the container (never its volumes or bind-mounted directories). Removing a gone one is not an error. */
    void remove(String id);

    /** By id or name. */
    Optional<EngineContainer> find(String idOrName);

    /** Every container with DS01's or AIME's labels. */
    List<EngineContainer> managed();

    boolean imageExists(String reference);

    /** The image's size on the engine, or empty when the engine has no such image. */
    Optional<Long> imageSize(String reference);

    /** Removes an image (not forced: the engine refuses while a container uses it). A missing one is not an error. */
    void removeImage(String reference);

    /** Tags of the images on the engine whose repository starts with {@code prefix} (e.g. {@code ds01-2001/}). */
    List<String> imageTags(String prefix);

    /** CPU (percent of one CPU) and memory in use now; empty for a container that is not running. */
    Optional<Usage> usage(String id);

    /** The last {@code lines} lines of the container's output (its terminal). */
    String logTail(String id, int lines);

    /**
     * Follows the container's output from the last {@code lines} lines on, handing each chunk to {@code sink}
     * until the container stops or the returned handle is closed.
     */
    java.io.Closeable followLog(String id, int lines, java.util.function.Consumer<String> sink);

    record Usage(double cpuPercent, long memoryBytes, long memoryLimitBytes) {
    }

    /** The port on 127.0.0.1 the engine published for {@code containerPort}; empty when none (or not running). */
    Optional<Integer> publishedPort(String id, int containerPort);

    /** What a command run to its end in a running container said, and how it ended. */
    record ExecResult(int exitCode, String output) {
    }

    /** Runs a command in a running container as {@code uid:gid} and waits (at most a minute) for its end. */
    ExecResult exec(String id, int uid, int gid, List<String> command, Map<String, String> environment);

    /** Starts a command in a running container as {@code uid:gid} and leaves it running (a server). */
    void execDetached(String id, int uid, int gid, List<String> command, Map<String, String> environment);

    /**
     * This server's CPUs and memory as the engine counts them; asked once and kept (a server does not change size
     * while the portal runs), asked again after a failure.
     */
    MachineSize machineSize();

    /** The host pid of the container's first process, while it runs: where its cgroup and network counters are. */
    Optional<Integer> pid(String id);
}
