package ds01.database;

import ds01.process.Command;
import ds01.process.ProcessFailedException;
import ds01.process.ProcessResult;
import ds01.process.ProcessRunner;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The unprivileged host account the built-in PostgreSQL runs as when the portal runs as root. Created on
 * first start so that a newcomer's single start command works; a deployment with an external database
 * never needs it.
 */
final class SystemAccount {
    private static final Logger LOG = Logger.getLogger(SystemAccount.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    /** useradd waits for the lock on /etc/passwd, which another admin tool may hold for a while. */
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private SystemAccount() {
    }

    static void ensure(String name, ProcessRunner processes) {
        if (!name.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new EmbeddedDatabaseException("DS01_DB_SYSTEM_USER '" + name
                    + "' is not a valid account name (lower-case letters, digits, '-' and '_')", null);
        }
        if (run(processes, Command.of(LOOKUP_TIMEOUT, "id", "-u", name)).succeeded()) {
            return;
        }
        LOG.infof("creating system account '%s' for the built-in PostgreSQL (PostgreSQL refuses to run as root)",
                name);
        ProcessResult created = run(processes, Command.of(CREATE_TIMEOUT, "useradd", "--system", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name));
        if (!created.succeeded()) {
            LOG.warnf("%s: %s", created.command().commandLine(), created.endOfErrors());
            throw new EmbeddedDatabaseException("could not create system account '" + name
                    + "' for the built-in PostgreSQL (" + created.endOfErrors() + "); create it with: useradd --system "
                    + name, null);
        }
    }

    private static ProcessResult run(ProcessRunner processes, Command command) {
        try {
            return processes.run(command);
        } catch (ProcessFailedException e) {
            throw new EmbeddedDatabaseException(e.getMessage(), e);
        }
    }
}
