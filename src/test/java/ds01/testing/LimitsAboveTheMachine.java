package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Limits larger than any server the tests run on (src/test/resources/limits-above-the-machine.yaml). */
public class LimitsAboveTheMachine implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-above-the-machine.yaml",
                "ds01.containers.base-images", "ds01-test/base:latest", "ds01.gpu.sweep", "off");
    }
}
