package ds01.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the Docker engine answers. Without it nobody can deploy or retire, but people can still sign in,
 * look at their history and read their limits, so the portal reports itself degraded instead of stopping.
 */
@Readiness
@ApplicationScoped
public class EngineHealthCheck implements HealthCheck {

    private final DockerClient engine;
    private final EngineConfig config;

    public EngineHealthCheck(DockerClient engine, EngineConfig config) {
        this.engine = engine;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("docker-engine").withData("host", config.host());
        try {
            Version version = engine.versionCmd().exec();
            return builder.up().withData("version", version.getVersion())
                    .withData("summary", "Docker " + version.getVersion() + " at " + config.host()).build();
        } catch (RuntimeException e) {
            // docker-java wraps socket errors in RuntimeExceptions; the cause names the real problem
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return builder.down().withData("problem", "no Docker engine answers at " + config.host() + " ("
                    + root.getClass().getSimpleName() + ": " + root.getMessage() + ")").build();
        }
    }
}
