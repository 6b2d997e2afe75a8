package ds01.database;

import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One built-in PostgreSQL server per data directory for the life of the JVM: Quarkus may build its
 * configuration more than once (tests restart the application), and all of them must share the server.
 */
public final class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final Map<Path, EmbeddedPostgres> SERVERS = new ConcurrentHashMap<>();

    private EmbeddedDatabase() {
    }

    public static EmbeddedPostgres startOnce(Path dataDir, String systemUser) {
        return SERVERS.computeIfAbsent(dataDir.toAbsolutePath().normalize(), dir -> {
            EmbeddedPostgres server = EmbeddedPostgres.start(dir, systemUser);
            LOG.infof("No database configured (DS01_DB_URL unset): using the built-in PostgreSQL, data in %s, "
                    + "listening on 127.0.0.1:%d", server.dataDirectory(), server.port());
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "ds01-embedded-postgres-stop"));
            return server;
        });
    }
}
