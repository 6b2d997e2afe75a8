package ds01.limits;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * A user's effective limits when no request of theirs is at hand (the scheduler, the queue, admin pages): their
 * host groups are looked up in the system's user database. An account the host no longer has gets the limits of
 * no host group, which is what the file says for a user it places nowhere else.
 */
@ApplicationScoped
public class UserLimits {

    private final LimitsService limits;
    private final HostGroups hostGroups;

    public UserLimits(LimitsService limits, HostGroups hostGroups) {
        this.limits = limits;
        this.hostGroups = hostGroups;
    }

    public EffectiveLimits of(String username) {
        return limits.forUser(username, hostGroups(username));
    }

    public Set<String> hostGroups(String username) {
        return hostGroups.of(username);
    }

    /** Whether the file names this user under {@code user_overrides}. */
    public boolean hasOverride(String username) {
        return limits.current().userOverrides().containsKey(username);
    }
}
