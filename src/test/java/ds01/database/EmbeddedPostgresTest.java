package ds01.database;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in database keeps its data across restarts and is closed to other local users. */
class EmbeddedPostgresTest {

    @Test
    void keepsDataAcrossRestarts(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("portal-data");
        Files.createDirectories(tmp);
        // the data directory's parents must be traversable by the database's system account when we run as root
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        EmbeddedPostgres first = EmbeddedPostgres.start(home, "ds01-db");
        try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password());
                Statement s = c.createStatement()) {
            s.execute("create table survivor (name text)");
            s.execute("insert into survivor values ('workspace stays')");
        } finally {
            first.stop();
        }
        EmbeddedPostgres second = EmbeddedPostgres.start(home, "ds01-db");
        try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.username(), second.password());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select name from survivor")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("workspace stays");
            assertThat(second.dataDirectory()).isEqualTo(home.toAbsolutePath().resolve("postgres"));
            assertThat(Files.getPosixFilePermissions(home.resolve("postgres.password")))
                    .as("the password file is readable by the portal only")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> DriverManager.getConnection(second.jdbcUrl(), second.username(), "guess"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        } finally {
            second.stop();
        }
    }
}
