package ds01.engine;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the portal finds the Docker engine of this GPU server, and how long it waits for it.
 *
 * <p>Set {@code ds01.docker.host} (or the environment variable {@code DS01_DOCKER_HOST}) when the
 * engine does not listen on the default socket. The portal talks to the engine only through
 * docker-java over this address, never through the {@code docker} command line.
 */
@ConfigMapping(prefix = "ds01.docker")
public interface EngineConfig {

    /** The engine's address, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://127.0.0.1:2375}. */
    @WithDefault(EngineConnection.DEFAULT_HOST)
    String host();

    /**
     * How long to wait for the engine to accept a connection. Short: a local socket answers at
     * once, and a portal page should say "the engine is down" quickly rather than hang.
     */
    @WithDefault(EngineConnection.DEFAULT_CONNECT_TIMEOUT)
    Duration connectTimeout();

    /**
     * How long to wait for the engine's answer to one call. Long, because some answers are slow
     * by nature (pulling a base image, a build step compiling quietly for minutes); still bounded,
     * so a wedged engine cannot hold a request thread forever.
     */
    @WithDefault(EngineConnection.DEFAULT_RESPONSE_TIMEOUT)
    Duration responseTimeout();
}
