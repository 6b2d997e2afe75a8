package ds01.identity;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The real OpenID provider of testing/oidc (npm oidc-provider), started for the single sign-on tests. */
public class OidcProviderResource implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = OidcProvider.SECRET;
    private OidcProvider provider;

    @Override
    public Map<String, String> start() {
        provider = OidcProvider.start();
        return provider.portalConfig();
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
