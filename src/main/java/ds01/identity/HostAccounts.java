package ds01.identity;

import java.util.Optional;

/** The system's user database: /etc/passwd, LDAP or SSSD, whatever NSS is set up to ask. */
public interface HostAccounts {

    /** The account with this name, or empty when the host has none. */
    Optional<HostAccount> find(String username);
}
