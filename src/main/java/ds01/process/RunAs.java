package ds01.process;

import java.util.List;
import java.util.OptionalInt;

/**
 * The host account a command runs as, through {@code setpriv} when the portal runs as root. Two kinds, as the portal
 * needs them: a system account by name with its own groups (the built-in PostgreSQL), and a user by uid and gid
 * with no supplementary groups (writing into a user's files, so that nothing the portal's groups could reach is
 * reachable).
 */
public record RunAs(String username, OptionalInt uid, OptionalInt gid) {

    public RunAs {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("a run-as account needs a name");
        }
        if (uid.isPresent() != gid.isPresent()) {
            throw new IllegalArgumentException("give both uid and gid, or neither");
        }
    }

    /** A system account by name, with the groups {@code /etc/group} gives it. */
    public static RunAs account(String name) {
        return new RunAs(name, OptionalInt.empty(), OptionalInt.empty());
    }

    /** A user by numbers, without supplementary groups; {@code username} is for messages. */
    public static RunAs user(String username, int uid, int gid) {
        return new RunAs(username, OptionalInt.of(uid), OptionalInt.of(gid));
    }

    /** The {@code setpriv} prefix that drops the portal's root rights to this account's. */
    List<String> setpriv() {
        if (uid.isPresent()) {
            return List.of("setpriv", "--reuid=" + uid.getAsInt(), "--regid=" + gid.getAsInt(), "--clear-groups", "--");
        }
        return List.of("setpriv", "--reuid=" + username, "--regid=" + username, "--init-groups", "--");
    }

    @Override
    public String toString() {
        return username + uid.stream().mapToObj(u -> " (uid " + u + ")").findFirst().orElse("");
    }
}
