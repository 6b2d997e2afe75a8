package ds01.launcher;

import ds01.containers.ContainerRecords;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes down that someone used a container through the portal (Jupyter traffic, a terminal): the lifecycle jobs
 * do not count a container as idle while its owner works in it. One write per container per
 * {@link LauncherConfig#activityResolution()}, however many requests.
 */
@ApplicationScoped
public class ContainerActivity {

    private final ContainerRecords containers;
    private final LauncherConfig config;
    private final Map<Long, Instant> lastWritten = new ConcurrentHashMap<>();

    public ContainerActivity(ContainerRecords containers, LauncherConfig config) {
        this.containers = containers;
        this.config = config;
    }

    /** True when this call should write (the last write is older than the resolution); cheap, any thread. */
    public boolean due(long containerId) {
        Instant now = Instant.now();
        Instant before = lastWritten.get(containerId);
        if (before != null && before.plus(config.activityResolution()).isAfter(now)) {
            return false;
        }
        return before == null ? lastWritten.putIfAbsent(containerId, now) == null
                : lastWritten.replace(containerId, before, now);
    }

    /** Records activity now; blocking (a database write), so never on an event loop. */
    public void record(long containerId) {
        containers.touch(containerId);
    }
}
