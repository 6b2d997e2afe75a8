package ds01.lifecycle;

import java.util.Optional;

/**
 * What a running container has done so far, read without sampling over time as {@code docker stats} does (about
 * a second a container): its cgroup's CPU time and its network namespace's byte counters. The sweep turns two
 * readings into rates.
 */
public interface ContainerSignals {

    /** Counters since the container started: CPU time in nanoseconds, bytes received and sent. */
    record Counters(long cpuNanos, long networkBytes) {
    }

    /** The counters of the process tree rooted at host pid {@code pid}; empty when it is gone. */
    Optional<Counters> read(int pid);
}
