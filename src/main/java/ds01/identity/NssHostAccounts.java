package ds01.identity;

import ds01.web.UserName;
import jakarta.enterprise.context.ApplicationScoped;
import org.jvnet.libpam.PAMException;
import org.jvnet.libpam.UnixUser;

import java.util.Optional;

/** Host accounts through libc's getpwnam_r and getgrouplist (via libpam4j), so LDAP and SSSD users work too. */
@ApplicationScoped
public class NssHostAccounts implements HostAccounts {

    /** libpam4j's text when getpwnam_r finds no such user; any other failure is NSS itself failing. */
    static final String NO_SUCH_USER = "No user information is available";

    @Override
    public Optional<HostAccount> find(String username) {
        if (!UserName.isValid(username)) {
            return Optional.empty();
        }
        try {
            UnixUser user = new UnixUser(username);
            return Optional.of(new HostAccount(user.getUserName(), user.getUID(), user.getGID(), user.getDir(),
                    user.getGroups().stream().sorted().toList()));
        } catch (PAMException e) {
            if (NO_SUCH_USER.equals(e.getMessage())) {
                return Optional.empty();
            }
            // e.g. LDAP unreachable: saying "no such account" would tell the person their password is wrong
            throw new IllegalStateException("looking up host account " + username + " failed: " + e.getMessage(), e);
        }
    }
}
