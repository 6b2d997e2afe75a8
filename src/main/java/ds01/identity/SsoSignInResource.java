package ds01.identity;

import ds01.web.UserName;
import ds01.events.Actor;
import ds01.events.AuditLog;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-in through the lab's single sign-on. quarkus-oidc runs the authorization-code flow for this one path;
 * here the configured claim is mapped onto a host account and the portal's own session begins, exactly as
 * after a password sign-in. The OIDC session is dropped at once: the portal keeps one kind of session.
 */
@Path("/signin/sso")
public class SsoSignInResource {

    private final IdentityConfig config;
    /** @IdToken applies to fields only. */
    @Inject
    @IdToken
    Instance<JsonWebToken> idToken;
    private final Instance<OidcSession> oidcSession;
    private final PortalIdentities identities;
    private final SessionMechanism sessions;
    private final SignIns signIns;
    private final AuditLog auditLog;
    private final RoutingContext context;

    public SsoSignInResource(IdentityConfig config, Instance<OidcSession> oidcSession, PortalIdentities identities, SessionMechanism sessions, SignIns signIns,
            AuditLog auditLog, RoutingContext context) {
        this.config = config;
        this.oidcSession = oidcSession;
        this.identities = identities;
        this.sessions = sessions;
        this.signIns = signIns;
        this.auditLog = auditLog;
        this.context = context;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@QueryParam("next") String next) {
        if (!config.ssoEnabled()) {
            throw new NotFoundException("Single sign-on is not set up on this portal; sign in with your password.");
        }
        String address = SignIns.addressOf(context);
        Object claim = idToken.get().getClaim(config.usernameClaim());
        String claimed = claim == null ? "" : claim.toString().replace("\"", "");
        String username = hostName(claimed);
        oidcSession.get().logout().await().indefinitely();
        Optional<HostAccount> account = identities.mayUsePortal(username);
        if (account.isEmpty()) {
            String shown = claimed.length() > 100 ? claimed.substring(0, 100) + "…" : claimed;
            auditLog.record(Actor.user(UserName.isValid(username) ? username : "(sso)"), "sign-in.refused",
                    shown, "single sign-on: no host account may use the portal under this name, from " + address);
            return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(SignInResource.Templates.signin("",
                    "/", "The single sign-on knows you as \"" + shown + "\", but this GPU server has no account "
                            + "by that name that may use the portal. Ask the server's admins for an account, or sign "
                            + "in with the user name and password you have here.", true)).build();
        }
        Instant now = Instant.now();
        context.response().addCookie(sessions.cookieFor(context,
                SessionCookie.Session.begin(account.get().username(), "oidc", now)));
        signIns.signedIn(account.get(), "single sign-on (" + config.usernameClaim() + " " + claimed + ")", address);
        return Response.seeOther(URI.create(SignInResource.safeNext(next))).build();
    }

    /** The host user name in a claim: as it is, or without the configured @domain. */
    private String hostName(String claimed) {
        String suffix = config.stripDomain().map(domain -> "@" + domain).orElse(null);
        if (suffix != null && claimed.endsWith(suffix)) {
            return claimed.substring(0, claimed.length() - suffix.length());
        }
        return claimed;
    }
}
