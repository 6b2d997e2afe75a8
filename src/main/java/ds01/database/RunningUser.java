package ds01.database;

import com.sun.security.auth.module.UnixSystem;

/** Who the portal's JVM runs as; PostgreSQL must not run as root. */
final class RunningUser {
    private RunningUser() {
    }

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }
}
