package ds01.limits;

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

    public LimitsApi(LimitsService limits) {
        this.limits = limits;
    }

    @GET
    @Path("{user}")
    public EffectiveLimitsView forUser(@PathParam("user") String user) {
        // TODO(identity): users may read their own limits, admins anyone's; 404 for unknown accounts
        return EffectiveLimitsView.of(limits.forUser(validUserName(user), Set.of()));
    }

    /** @throws BadRequestException (shown as a JSON error by ds01.web.ErrorPages) for anything but a user name */
    static String validUserName(String user) {
        if (!UserName.isValid(user)) {
            throw new BadRequestException("\"" + user + "\" is not " + UserName.DESCRIPTION + ".");
        }
        return user;
    }
}
