package ds01.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Identities for API calls: the owner of a valid personal token, with the same roles as when signed in. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    private final ApiTokens tokens;
    private final PortalIdentities identities;

    public ApiTokenIdentityProvider(ApiTokens tokens, PortalIdentities identities) {
        this.tokens = tokens;
        this.identities = identities;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            String owner = tokens.ownerOf(request.secret())
                    .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API token"));
            return identities.identify(owner, "token");
        });
    }
}
