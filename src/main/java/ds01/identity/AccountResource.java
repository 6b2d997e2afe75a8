package ds01.identity;

import ds01.limits.LimitsService;
import ds01.limits.Membership;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Optional;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import ds01.events.Actor;
import ds01.web.Flash;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/** The signed-in user's own page: who the portal thinks they are, their limits group and why, their role. */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountResource {

    /** What the page shows; {@code adminReason} is null for non-admins. */
    public record AccountView(String username, int uid, int gid, String home, List<String> hostGroups,
            String limitsGroup, String groupReason, String adminReason, String method) {
    }

    /** One token as listed: never its secret. */
    public record TokenView(long id, String name, String prefix, String created, String expires, String lastUsed,
            String state) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(AccountView account, List<TokenView> tokens, String newToken);
    }

    private final SecurityIdentity identity;
    private final SignedIn signedIn;
    private final PortalIdentities identities;
    private final LimitsService limits;
    private final ApiTokens tokens;

    public AccountResource(SecurityIdentity identity, SignedIn signedIn, PortalIdentities identities,
            LimitsService limits, ApiTokens tokens) {
        this.signedIn = signedIn;
        this.identity = identity;
        this.identities = identities;
        this.limits = limits;
        this.tokens = tokens;
    }

    @GET
    public TemplateInstance account() {
        return page(null);
    }

    /** Makes a token and shows it this once; afterwards only its first characters are ever shown. */
    @POST
    @Path("tokens")
    public TemplateInstance createToken(@FormParam("name") String name, @FormParam("days") String days) {
        Optional<Integer> validDays;
        try {
            validDays = days == null || days.isBlank() ? Optional.empty() : Optional.of(Integer.parseInt(days.strip()));
        } catch (NumberFormatException e) {
            throw new BadRequestException("\"" + days + "\" is not a number of days; leave it empty for no expiry.");
        }
        return page(tokens.create(signedInAccount(), name, validDays).secret());
    }

    @POST
    @Path("tokens/{id}/revoke")
    public Response revokeToken(@PathParam("id") long id) {
        String me = identity.getPrincipal().getName();
        tokens.revoke(me, id, Actor.user(me));
        return Flash.redirect(URI.create("/account"), "success", "Token " + id + " is revoked; calls with it now get 401.");
    }

    private HostAccount signedInAccount() {
        return signedIn.account();
    }

    private TemplateInstance page(String newToken) {
        HostAccount account = signedInAccount();
        Membership membership = limits.forUser(account.username(), Set.copyOf(account.groups())).membership();
        return Templates.account(new AccountView(account.username(), account.uid(), account.gid(),
                account.home(), List.copyOf(account.groups()), membership.group().orElse("(defaults only)"),
                membership.reason(), identities.adminReason(account).orElse(null),
                identity.getAttribute(PortalIdentities.METHOD)), tokenViews(account.username()), newToken);
    }

    private List<TokenView> tokenViews(String username) {
        OffsetDateTime now = OffsetDateTime.now();
        return tokens.of(username).stream().map(t -> new TokenView(t.id, t.name, t.prefix + "…", day(t.createdAt),
                t.expiresAt == null ? "never" : day(t.expiresAt), t.lastUsedAt == null ? "never" : day(t.lastUsedAt),
                t.state(now))).toList();
    }

    private static String day(OffsetDateTime time) {
        return time.truncatedTo(ChronoUnit.MINUTES).toLocalDateTime().toString().replace('T', ' ');
    }
}
