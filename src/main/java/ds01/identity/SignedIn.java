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
        return accountIfAny().orElseThrow(() -> new ForbiddenException("This server has no host account "
                + name() + " any more; ask an admin."));
    }

    /** Their host account, or empty where the host has none (pages that work without one, such as the dashboard). */
    public java.util.Optional<HostAccount> accountIfAny() {
        HostAccount signedIn = identity.getAttribute(PortalIdentities.ACCOUNT);
        return signedIn != null ? java.util.Optional.of(signedIn) : accounts.find(name());
    }
}
