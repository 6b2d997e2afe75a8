package ds01.identity;

import ds01.web.UserName;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The sign-in form (host account password, through PAM) and sign-out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance signin(String username, String next, String error, boolean ssoEnabled);

        static native TemplateInstance signout();
    }

    private final Authenticator authenticator;
    private final SignInThrottle throttle;
    private final SessionMechanism sessions;
    private final AuditLog auditLog;
    private final SecurityIdentity identity;
    private final RoutingContext context;
    private final IdentityConfig config;
    private final SignIns signIns;
    private final Clock clock = Clock.systemUTC();

    public SignInResource(Authenticator authenticator, SignInThrottle throttle, SessionMechanism sessions,
            AuditLog auditLog, SecurityIdentity identity, RoutingContext context, IdentityConfig config,
            SignIns signIns) {
        this.signIns = signIns;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.sessions = sessions;
        this.auditLog = auditLog;
        this.identity = identity;
        this.context = context;
        this.config = config;
    }

    @GET
    @Path("signin")
    public Response form(@QueryParam("next") String next) {
        if (!identity.isAnonymous()) {
            return Response.seeOther(URI.create(safeNext(next))).build();
        }
        return Response.ok(Templates.signin("", safeNext(next), null, config.ssoEnabled())).build();
    }

    @POST
    @Path("signin")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("next") String next) throws InterruptedException {
        // surrounding spaces are a slip of the finger; control characters are refused by the name grammar
        String name = username == null ? "" : username.replaceAll("^ +| +$", "");
        String shownName = UserName.isValid(name) ? name : "";
        String address = SignIns.addressOf(context);
        String target = safeNext(next);
        String auditName = UserName.isValid(name) ? name : "(invalid name)";

        Optional<Instant> refusedUntil = throttle.refusedUntil(name, address);
        if (refusedUntil.isPresent()) {
            long minutes = Math.max(1, Duration.between(clock.instant(), refusedUntil.get()).toMinutes() + 1);
            auditLog.record(Actor.user(auditName), "sign-in.throttled", auditName, "from " + address);
            return page(429, shownName, target, "Too many failed sign-ins for this account or from this address. "
                    + "Try again in " + minutes + " minute(s), or ask an admin if you have forgotten your password.");
        }
        Duration delay = throttle.delay(name, address);
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        SignInResult result = authenticator.authenticate(name, password == null ? "" : password);
        if (result instanceof SignInResult.Refused refused) {
            if (refused.reason() != SignInResult.Reason.INVALID_INPUT) {
                // input refused before PAM was asked is no guess at a password
                throttle.failed(name, address);
            }
            auditLog.record(Actor.user(auditName), "sign-in.refused", auditName,
                    refused.reason() + " from " + address);
            return page(refused.reason().httpStatus(), shownName, target, refused.message());
        }
        HostAccount account = ((SignInResult.SignedIn) result).account();
        throttle.succeeded(account.username());
        Instant now = clock.instant();
        context.response().addCookie(sessions.cookieFor(context,
                SessionCookie.Session.begin(account.username(), "pam", now)));
        signIns.signedIn(account, "password (PAM)", address);
        return Response.seeOther(URI.create(target)).build();
    }

    /** The sign-out button: a form, so that a link on another site cannot sign anyone out. */
    @GET
    @Path("signout")
    public TemplateInstance signOutPage() {
        return Templates.signout();
    }

    @POST
    @Path("signout")
    public Response signOut() {
        context.response().addCookie(sessions.signOut(context));
        if (!identity.isAnonymous()) {
            String name = identity.getPrincipal().getName();
            auditLog.record(Actor.user(name), "sign-out", name, null);
        }
        return Flash.redirect(URI.create("/signin"), "info", "You are signed out.");
    }

    private Response page(int status, String username, String next, String error) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.signin(username, next, error, config.ssoEnabled())).build();
    }

    /** Only paths of this portal: never another site, never a scheme-relative "//host". */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.length() > 2000
                || next.chars().anyMatch(c -> c < 0x20 || c == '\\' || c == 0x7f) || next.startsWith("/signin")
                || next.startsWith("/signout")) {
            return "/";
        }
        return next;
    }
}
