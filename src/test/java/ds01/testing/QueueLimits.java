package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Priorities of students 10, researchers 50, an override 100 (limits-queue.yaml); the sweeps are off so each test
 * moves the queue itself.
 */
public class QueueLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-queue.yaml", "ds01.gpu.sweep", "off");
    }
}
