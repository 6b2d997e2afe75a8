package ds01.identity;

import ds01.web.UserName;
import ds01.limits.AccessControl;
import ds01.limits.LimitsService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Turns a user name that has proved itself (password, SSO, session, API token) into the portal's view of that
 * person: their host account, and the roles {@code user} and, for admins, {@code admin}. Every way of signing
 * in ends here, so the same rules hold for all of them.
 */
@ApplicationScoped
public class PortalIdentities {

    public static final String ACCOUNT = "ds01.account";
    public static final String METHOD = "ds01.sign-in-method";
    public static final String ADMIN = "admin";
    public static final String USER = "user";

    private final HostAccounts accounts;
    private final IdentityConfig config;
    private final LimitsService limits;

    public PortalIdentities(HostAccounts accounts, IdentityConfig config, LimitsService limits) {
        this.accounts = accounts;
        this.config = config;
        this.limits = limits;
    }

    /**
     * @throws AuthenticationFailedException when the account no longer exists or may not use the portal
     */
    public SecurityIdentity identify(String username, String method) {
        HostAccount account = mayUsePortal(username)
                .orElseThrow(() -> new AuthenticationFailedException("no host account " + username + " may use the portal"));
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(() -> account.username())
                .addRole(USER)
                .addAttribute(ACCOUNT, account)
                .addAttribute(METHOD, method);
        if (adminReason(account).isPresent()) {
            builder.addRole(ADMIN);
        }
        return builder.build();
    }

    /** The host account of a user who may sign in: it exists and its uid is at or above the minimum (never root). */
    public Optional<HostAccount> mayUsePortal(String username) {
        if (!UserName.isValid(username)) {
            return Optional.empty();
        }
        return accounts.find(username).filter(a -> a.maySignIn(config.minimumUid()));
    }

    /** Why this account is an admin, for the account page; empty when it is not one. */
    public Optional<String> adminReason(HostAccount account) {
        AccessControl access = limits.current().accessControl();
        if (access.adminUsers().contains(account.username())) {
            return Optional.of("listed in access_control.admin_users");
        }
        String adminGroup = access.adminGroup().orElse("ds01-admin");
        if (account.groups().contains(adminGroup)) {
            return Optional.of("member of host group " + adminGroup);
        }
        return Optional.empty();
    }
}
