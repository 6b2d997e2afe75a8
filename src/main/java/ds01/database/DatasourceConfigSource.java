package ds01.database;

import io.quarkus.runtime.ExecutionMode;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Supplies {@code quarkus.datasource.jdbc.url}, username and password. The target is resolved on first read
 * at run time only, so building the application does not start a database.
 */
final class DatasourceConfigSource implements ConfigSource {

    record Target(String url, String user, String password) {
    }

    private static final String URL = "quarkus.datasource.jdbc.url";
    private static final String USER = "quarkus.datasource.username";
    private static final String PASSWORD = "quarkus.datasource.password";

    private final Supplier<Target> resolver;
    private volatile Target target;

    DatasourceConfigSource(Supplier<Target> resolver) {
        this.resolver = resolver;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(URL, USER, PASSWORD);
    }

    @Override
    public String getValue(String name) {
        if (!getPropertyNames().contains(name) || ExecutionMode.current() == ExecutionMode.UNSET) {
            // UNSET: the application is being built, not run; a build must never start a database
            return null;
        }
        Target resolved = resolve();
        return switch (name) {
            case URL -> resolved.url();
            case USER -> resolved.user();
            default -> resolved.password();
        };
    }

    private Target resolve() {
        Target current = target;
        if (current == null) {
            synchronized (this) {
                if (target == null) {
                    target = resolver.get();
                }
                current = target;
            }
        }
        return current;
    }

    @Override
    public String getName() {
        return "ds01-database";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
