package ds01.database;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The unprivileged host account the built-in PostgreSQL runs as when the portal runs as root. Created on
 * first start so that a newcomer's single start command works; a deployment with an external database
 * never needs it.
 */
final class SystemAccount {
    private static final Logger LOG = Logger.getLogger(SystemAccount.class);

    private SystemAccount() {
    }

    static void ensure(String name) {
        if (!name.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new EmbeddedDatabaseException("DS01_DB_SYSTEM_USER '" + name
                    + "' is not a valid account name (lower-case letters, digits, '-' and '_')", null);
        }
        if (exec("id", "-u", name) == 0) {
            return;
        }
        LOG.infof("creating system account '%s' for the built-in PostgreSQL (PostgreSQL refuses to run as root)",
                name);
        if (exec("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                "/usr/sbin/nologin", name) != 0) {
            throw new EmbeddedDatabaseException("could not create system account '" + name
                    + "' for the built-in PostgreSQL; create it with: useradd --system " + name, null);
        }
    }

    private static int exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0 && !command[0].equals("id")) {
                LOG.warnf("%s: %s", String.join(" ", command), output.strip());
            }
            return exit;
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("could not run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException("interrupted while running " + command[0], e);
        }
    }
}
