package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The container tests' limits (limits-containers.yaml: one GPU slot and two containers a user), the test base
 * image, a site mount of /usr/share/doc read-only, and no GPU sweep (the tests fix the inventory).
 */
public class ContainerLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-containers.yaml",
                "ds01.containers.base-images", "ds01-test/base:latest", "ds01.gpu.sweep", "off",
                "ds01.containers.mounts", "/usr/share/doc:/site/doc:ro");
    }
}
