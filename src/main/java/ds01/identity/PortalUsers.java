package ds01.identity;

import ds01.database.Reads;
import ds01.events.Recipients;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The portal's users as other features see them: the one way into the {@code portal_user} table from outside
 * identity. Records elsewhere keep an owner id; they turn it into a name here, in one query per list.
 * Methods that change or lock join the caller's transaction; the plain reads run in their own when there is none.
 */
@ApplicationScoped
public class PortalUsers implements Recipients {

    /** The row id of a user; empty before their first sign-in (or adoption) wrote the row. */
    @Override
    public OptionalLong idOf(String username) {
        return Reads.inTransaction(() -> PortalUser.idOf(username));
    }

    /**
     * The user's row id, locked until the caller's transaction ends (call it inside one), so that one user's
     * limit checks run one at a time; empty for a user the portal has never seen.
     */
    public OptionalLong lockForLimitCheck(String username) {
        return PortalUser.lockedIdOf(username);
    }

    /** The row of this host account, made on first sight and kept in step with the host (inside a transaction). */
    public long recordOf(HostAccount account) {
        return PortalUser.of(account).id;
    }

    public Map<Long, String> usernamesOf(Collection<Long> ids) {
        return Reads.inTransaction(() -> PortalUser.usernamesOf(ids));
    }

    /** @throws IllegalArgumentException for an id no user row has */
    public String usernameOf(long id) {
        String name = usernamesOf(List.of(id)).get(id);
        if (name == null) {
            throw new IllegalArgumentException("There is no portal user with id " + id + ".");
        }
        return name;
    }

    /** The address single sign-on gave for this user, if any. */
    @Override
    public Optional<String> emailOf(String username) {
        return Reads.inTransaction(() -> PortalUser.byUsername(username).map(u -> u.email)
                .filter(e -> !e.isBlank()));
    }

    /** Everyone who ever signed in, by name. */
    public List<PortalUser> everyone() {
        return Reads.inTransaction(PortalUser::everyone);
    }
}
