package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Limits that never refuse (limits-bench.yaml), so the allocation bench measures decisions, not refusals. */
public class NoQuota implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-bench.yaml");
    }
}
