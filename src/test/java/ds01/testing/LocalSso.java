package ds01.testing;

import ds01.identity.OidcProviderResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** Single sign-on through the local OpenID provider of testing/oidc, started for the portal. */
public class LocalSso implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcProviderResource.class));
    }
}
