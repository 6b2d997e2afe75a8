package ds01.database;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Points the Quarkus datasource at the database the lab configured ({@code DS01_DB_URL}, user, password) or,
 * when none is configured, at the built-in PostgreSQL. Done as a config source so that every launch mode
 * (the packaged portal, dev mode and the tests) gets the same default, and Dev Services never pull images.
 */
public class DatabaseConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String url = value(context, "ds01.db.url");
        if (url != null) {
            return List.of(new DatasourceConfigSource(() -> new DatasourceConfigSource.Target(url,
                    value(context, "ds01.db.user"), value(context, "ds01.db.password"))));
        }
        Path dataDir = Path.of(orDefault(value(context, "ds01.data-dir"), "data"));
        String systemUser = orDefault(value(context, "ds01.db.system-user"), "ds01-db");
        return List.of(new DatasourceConfigSource(() -> {
            EmbeddedPostgres server = EmbeddedDatabase.startOnce(dataDir, systemUser);
            return new DatasourceConfigSource.Target(server.jdbcUrl(), server.username(), server.password());
        }));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return null;
        }
        return value.getValue();
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
