package ds01.events;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who the portal can tell something: a user's row id (notifications are kept by it) and the address single sign-on
 * gave. The identity feature answers it; events sit below identity, which records sign-ins in the audit log.
 */
public interface Recipients {

    /** Empty for a user the portal has never seen. */
    OptionalLong idOf(String username);

    Optional<String> emailOf(String username);
}
