package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The container tests' limits with two base images, the test base and the minimal Debian with Python
 * (ds01-test/pybase), and no GPU sweep: the launcher tests.
 */
public class ContainerLimitsWithPythonBase implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-containers.yaml",
                "ds01.containers.base-images", "ds01-test/base:latest,ds01-test/pybase:latest",
                "ds01.gpu.sweep", "off");
    }
}
