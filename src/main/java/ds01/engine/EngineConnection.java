package ds01.engine;

import java.io.IOException;
import java.time.Duration;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.DurationConverter;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

/**
 * The portal's one connection to the Docker engine of this GPU server.
 *
 * <p>Every container operation (deploy, retire, start, stop, builds, the reconciler) goes through
 * the {@link DockerClient} produced here, so they all share one pool of connections and the same
 * timeouts. The client is closed when the portal shuts down.
 *
 * <p>{@link #open(String, Duration, Duration)} is the one way to build such a client; tests use it
 * too, so they talk to the engine exactly as the portal does.
 */
@Singleton
public class EngineConnection {

    /** Docker's own default socket on a Linux server. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    public static final String DEFAULT_CONNECT_TIMEOUT = "5s";
    public static final String DEFAULT_RESPONSE_TIMEOUT = "10m";

    /**
     * Enough parallel calls for a lab's worth of users plus the scheduler and reconciler; the
     * engine itself serialises most work anyway.
     */
    static final int MAX_CONNECTIONS = 50;

    private static final Logger LOG = Logger.getLogger(EngineConnection.class);

    private final EngineConfig config;

    EngineConnection(EngineConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    DockerClient engine() {
        LOG.infof("Docker engine at %s", config.host());
        return open(config.host(), config.connectTimeout(), config.responseTimeout());
    }

    void close(@Disposes DockerClient engine) throws IOException {
        engine.close();
    }

    /**
     * Builds a client for the engine at {@code host}. The address is always the one configured for
     * the portal, never a {@code DOCKER_HOST} that happens to be set in the service's environment;
     * TLS settings ({@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}) are read as docker-java
     * reads them, for an engine reached over TCP.
     */
    public static DockerClient open(String host, Duration connectTimeout, Duration responseTimeout) {
        DockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(clientConfig, http);
    }

    /** {@link #open(String, Duration, Duration)} with the portal's default timeouts. */
    public static DockerClient open(String host) {
        return open(host, DurationConverter.parseDuration(DEFAULT_CONNECT_TIMEOUT),
                DurationConverter.parseDuration(DEFAULT_RESPONSE_TIMEOUT));
    }
}
