package ds01.identity;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;

/**
 * The one place that decides "may this person act on this thing": owners on what they own, admins on
 * everything (invariant 8). Every web and API endpoint that names a user or a thing asks here.
 */
@ApplicationScoped
public class AccessPolicy {

    public boolean isAdmin(SecurityIdentity who) {
        return !who.isAnonymous() && who.hasRole(PortalIdentities.ADMIN);
    }

    public boolean mayActFor(SecurityIdentity who, String owner) {
        return !who.isAnonymous() && (isAdmin(who) || who.getPrincipal().getName().equals(owner));
    }

    /** @throws ForbiddenException unless {@code who} owns what belongs to {@code owner} or is an admin */
    public void requireOwnerOrAdmin(SecurityIdentity who, String owner, String what) {
        if (!mayActFor(who, owner)) {
            throw new ForbiddenException(what + " belongs to " + owner + "; only they and the portal's admins may see "
                    + "or change it.");
        }
    }

    /** @throws ForbiddenException unless {@code who} is an admin */
    public void requireAdmin(SecurityIdentity who, String what) {
        if (!isAdmin(who)) {
            throw new ForbiddenException(what + " is for the portal's admins. Admins are listed in the limits file's "
                    + "access_control.admin_users or are members of its admin_group.");
        }
    }
}
