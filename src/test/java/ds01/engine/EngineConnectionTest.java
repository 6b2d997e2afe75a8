package ds01.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.dockerjava.api.DockerClient;

import io.quarkus.test.junit.QuarkusTest;

/** The portal's own DockerClient (the CDI one) reaches the engine that testing/run-tests.sh runs. */
@QuarkusTest
class EngineConnectionTest {

    @Inject
    DockerClient engine;

    @Inject
    EngineConfig config;

    @Test
    void portalReachesTheEngineAtTheConfiguredAddress() {
        assertEquals(System.getenv().getOrDefault("DS01_DOCKER_HOST", EngineConnection.DEFAULT_HOST), config.host());
        engine.pingCmd().exec();
        assertNotNull(engine.versionCmd().exec().getApiVersion());
    }
}
