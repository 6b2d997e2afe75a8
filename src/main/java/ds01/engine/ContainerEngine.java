package ds01.engine;

import java.time.Duration;
import java.util.List;
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
}
