package ds01.identity;

import ds01.limits.HostGroups;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/** The limits' view of host groups, read from the host accounts. */
@ApplicationScoped
public class HostAccountGroups implements HostGroups {

    private final HostAccounts accounts;

    public HostAccountGroups(HostAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public Set<String> of(String username) {
        return accounts.find(username).map(HostAccount::groups).map(Set::copyOf).orElse(Set.of());
    }
}
