package ds01.limits;

import java.util.Set;

/**
 * The host groups a user is in, as the system's user database has them. Limits follow host groups, but reading
 * host accounts is identity's work: identity implements this, so the limits package depends on no feature.
 */
public interface HostGroups {

    /** The user's host groups; none for an account the host does not have (any more). */
    Set<String> of(String username);
}
