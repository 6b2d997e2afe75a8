package ds01.identity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Identities for requests whose user name the portal already trusts: a valid session cookie. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final PortalIdentities identities;

    public SessionIdentityProvider(PortalIdentities identities) {
        this.identities = identities;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        // host account lookups go through NSS (maybe LDAP): never on the event loop
        Object method = request.getAttribute(PortalIdentities.METHOD);
        return context.runBlocking(() -> identities.identify(request.getPrincipal(), String.valueOf(method)));
    }
}
