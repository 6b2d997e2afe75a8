package ds01.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** Who is looking at a page, for the layout: their name, whether to show admin links. */
@RequestScoped
@Named("viewer")
public class Viewer {

    private final SecurityIdentity identity;

    public Viewer(SecurityIdentity identity) {
        this.identity = identity;
    }

    public boolean getSignedIn() {
        return !identity.isAnonymous();
    }

    public String getName() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public boolean getAdmin() {
        return !identity.isAnonymous() && identity.hasRole(PortalIdentities.ADMIN);
    }
}
