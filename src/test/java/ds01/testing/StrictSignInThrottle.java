package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Sign-in refused after 3 failures in a row, and never slowed before that (the throttle flow test). */
public class StrictSignInThrottle implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.session.refuse-after-failures", "3", "ds01.session.slow-after-failures", "100");
    }
}
