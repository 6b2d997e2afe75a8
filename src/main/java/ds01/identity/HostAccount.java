package ds01.identity;

import java.util.List;

/** A person's account on the GPU server, as the system's user database (NSS) knows it. */
public record HostAccount(String username, int uid, int gid, String home, List<String> groups) {
    public HostAccount {
        groups = List.copyOf(groups);
    }

    /**
     * Whether this account may use the portal at all: not a system account (uid below the minimum), and never
     * root, whatever the minimum says. One rule for every way of signing in (password, SSO, session, token).
     */
    public boolean maySignIn(int minimumUid) {
        return uid != 0 && uid >= minimumUid;
    }
}
