package ds01.identity;

import java.util.List;

/** A person's account on the GPU server, as the system's user database (NSS) knows it. */
public record HostAccount(String username, int uid, int gid, String home, List<String> groups) {
    public HostAccount {
        groups = List.copyOf(groups);
    }
}
