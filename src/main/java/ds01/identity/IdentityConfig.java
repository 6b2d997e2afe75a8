package ds01.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** How people sign in: the PAM service, who may, and the lab's single sign-on. */
@ConfigMapping(prefix = "ds01.identity")
public interface IdentityConfig {

    /** The PAM service the portal authenticates against: /etc/pam.d/&lt;name&gt;, shipped as deploy/pam/ds01-portal. */
    @WithDefault("ds01-portal")
    String pamService();

    /** Accounts below this uid (system accounts) cannot sign in ({@code DS01_MINIMUM_UID}); root never can. */
    @WithDefault("1000")
    int minimumUid();

    /** Whether the lab's single sign-on (OIDC) is offered ({@code DS01_OIDC_ENABLED}). */
    @WithName("oidc.enabled")
    @WithDefault("false")
    boolean ssoEnabled();

    /** The ID token claim that holds the host user name ({@code DS01_OIDC_USERNAME_CLAIM}). */
    @WithName("oidc.username-claim")
    @WithDefault("preferred_username")
    String usernameClaim();

    /** A domain stripped from the claim, e.g. {@code lab.example} turns {@code alice@lab.example} into {@code alice}. */
    @WithName("oidc.strip-domain")
    Optional<String> stripDomain();
}
