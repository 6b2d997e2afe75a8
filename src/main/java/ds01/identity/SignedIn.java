package ds01.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;

/** The person behind the current request, by name and as the host knows them: for pages and APIs that act for them. */
@RequestScoped
public class SignedIn {

    private final SecurityIdentity identity;
    private final HostAccounts accounts;

    public SignedIn(SecurityIdentity identity, HostAccounts accounts) {
        this.identity = identity;
        this.accounts = accounts;
    }

    public String name() {
        return identity.getPrincipal().getName();
    }

    /**
     * Their host account: the one their sign-in found, or looked up again (API tokens, tests).
     *
     * @throws ForbiddenException when the host no longer has the account
     */
    public HostAccount account() {
        HostAccount signedIn = identity.getAttribute(PortalIdentities.ACCOUNT);
        if (signedIn != null) {
            return signedIn;
        }
        return accounts.find(name()).orElseThrow(() -> new ForbiddenException("This server has no host account "
                + name() + " any more; ask an admin."));
    }
}
