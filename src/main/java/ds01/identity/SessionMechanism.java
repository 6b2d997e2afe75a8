package ds01.identity;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking, from the portal's session cookie. Pages of anonymous visitors are sent to the sign-in page;
 * the JSON API answers 401. The session slides: each use (at most once a minute) renews its idle expiry.
 */
@ApplicationScoped
public class SessionMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(SessionMechanism.class);
    private static final Duration RENEW_AFTER = Duration.ofMinutes(1);

    private final SessionCookie cookies;
    private final SessionConfig config;
    private final EndedSessions ended;
    private final Clock clock = Clock.systemUTC();

    public SessionMechanism(SessionCookie cookies, SessionConfig config, EndedSessions ended) {
        this.cookies = cookies;
        this.config = config;
        this.ended = ended;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie cookie = context.request().getCookie(SessionCookie.NAME);
        if (cookie == null) {
            return Uni.createFrom().optional(Optional.empty());
        }
        Optional<SessionCookie.Session> session = cookies.open(cookie.getValue()).filter(this::isCurrent);
        if (session.isEmpty()) {
            context.response().addCookie(expired(context));
            return Uni.createFrom().optional(Optional.empty());
        }
        SessionCookie.Session current = session.get();
        if (current.lastSeen().plus(RENEW_AFTER).isBefore(clock.instant())) {
            context.response().addCookie(cookieFor(context, current.seenAt(clock.instant())));
        }
        TrustedAuthenticationRequest request = new TrustedAuthenticationRequest(current.username());
        request.setAttribute(PortalIdentities.METHOD, current.method());
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context))
                .onFailure().recoverWithItem(failure -> {
                    // the account was removed or locked out of the portal since sign-in: end the session
                    LOG.infof("session of %s ended: %s", current.username(), failure.getMessage());
                    context.response().addCookie(expired(context));
                    return null;
                });
    }

    private boolean isCurrent(SessionCookie.Session session) {
        Instant now = clock.instant();
        return session.lastSeen().plus(config.idleTimeout()).isAfter(now)
                && session.signedInAt().plus(config.maxAge()).isAfter(now) && !ended.isEnded(session.id());
    }

    /**
     * Signs the request's session out: its id is recorded as ended, so no copy of the cookie opens the portal
     * again. Returns the cookie that clears it from this browser.
     */
    public Cookie signOut(RoutingContext context) {
        Cookie cookie = context.request().getCookie(SessionCookie.NAME);
        if (cookie != null) {
            cookies.open(cookie.getValue()).ifPresent(ended::end);
        }
        return expired(context);
    }

    /** The cookie that carries {@code session}: HttpOnly, SameSite=Lax, Secure when served over TLS. */
    public Cookie cookieFor(RoutingContext context, SessionCookie.Session session) {
        return Cookie.cookie(SessionCookie.NAME, cookies.seal(session)).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(isTls(context)).setMaxAge(config.maxAge().toSeconds());
    }

    public Cookie expired(RoutingContext context) {
        return Cookie.cookie(SessionCookie.NAME, "").setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                .setSecure(isTls(context)).setMaxAge(0);
    }

    private static boolean isTls(RoutingContext context) {
        return "https".equalsIgnoreCase(context.request().scheme());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/api/")) {
            return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"ds01\""));
        }
        String uri = context.request().uri();
        String next = URLEncoder.encode(uri == null ? "/" : uri, StandardCharsets.UTF_8);
        return Uni.createFrom().item(new ChallengeData(302, "Location", "/signin?next=" + next));
    }

    /** First, so anonymous visitors get the portal's sign-in page, not the single sign-on's, as challenge. */
    @Override
    public int getPriority() {
        return 3000;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TrustedAuthenticationRequest.class);
    }
}
