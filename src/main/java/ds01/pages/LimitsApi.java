package ds01.pages;

import ds01.limits.EffectiveLimitsView;
import ds01.limits.LimitsService;
import ds01.web.ErrorPages;
import ds01.web.UserName;

import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.NotFoundException;

import java.util.Set;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A user's effective limits as JSON, each value with its source. */
@Path("/api/limits")
@Produces(MediaType.APPLICATION_JSON)
public class LimitsApi {

    private final LimitsService limits;
    private final AccessPolicy access;
    private final HostAccounts accounts;
    private final SecurityIdentity identity;

    public LimitsApi(LimitsService limits, AccessPolicy access, HostAccounts accounts, SecurityIdentity identity) {
        this.limits = limits;
        this.access = access;
        this.accounts = accounts;
        this.identity = identity;
    }

    /** Users may read their own limits, admins anyone's. */
    @GET
    @Path("{user}")
    public EffectiveLimitsView forUser(@PathParam("user") String user) {
        String name = validUserName(user);
        access.requireOwnerOrAdmin(identity, name, "The limits of " + name);
        return EffectiveLimitsView.of(limits.forUser(name, hostGroupsOf(accounts, name)));
    }

    /** @throws NotFoundException when no host account has this name */
    static Set<String> hostGroupsOf(HostAccounts accounts, String name) {
        HostAccount account = accounts.find(name)
                .orElseThrow(() -> new NotFoundException("There is no host account named " + name + "."));
        return Set.copyOf(account.groups());
    }

    /** @throws BadRequestException (shown as a JSON error by {@link ErrorPages}) for anything but a user name */
    static String validUserName(String user) {
        if (!UserName.isValid(user)) {
            throw new BadRequestException("\"" + user + "\" is not " + UserName.DESCRIPTION + ".");
        }
        return user;
    }
}
