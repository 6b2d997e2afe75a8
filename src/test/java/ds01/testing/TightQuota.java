package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A quota of 0.3 GPU-equivalents (limits-tight-quota.yaml): two 1g slices (2/7 = 0.29) fit, a third does not. */
public class TightQuota implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-tight-quota.yaml");
    }
}
