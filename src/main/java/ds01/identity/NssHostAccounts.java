package ds01.identity;

import jakarta.enterprise.context.ApplicationScoped;
import org.jvnet.libpam.PAMException;
import org.jvnet.libpam.UnixUser;

import java.util.List;
import java.util.Optional;

/** Host accounts through libc's getpwnam and group lookups (via libpam4j), so LDAP and SSSD users work too. */
@ApplicationScoped
public class NssHostAccounts implements HostAccounts {

    @Override
    public Optional<HostAccount> find(String username) {
        if (!UserName.isValid(username) || !UnixUser.exists(username)) {
            return Optional.empty();
        }
        try {
            UnixUser user = new UnixUser(username);
            return Optional.of(new HostAccount(user.getUserName(), user.getUID(), user.getGID(), user.getDir(),
                    user.getGroups().stream().sorted().toList()));
        } catch (PAMException e) {
            // exists() just said yes: the account vanished in between, which is the same as not existing
            return Optional.empty();
        }
    }

}
