package ds01.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The tests' database, read and written directly: what a test checks behind the portal's back, and the empty
 * database each {@link CleanMachine} test starts from. The database outlives test runs, so nothing may count on
 * what an earlier test or run left in it.
 */
public final class TestDatabase {

    /**
     * Every table of the schema but Flyway's, rows that point at others before the rows they point at, so that
     * plain deletes in this order never trip a foreign key. TestDatabaseTest fails when a migration adds a table
     * that is not here.
     */
    public static final List<String> TABLES = List.of("jupyter_session", "container_clock", "notification",
            "gpu_request", "allocation", "api_token", "image", "container", "audit_event", "lifecycle_exemption",
            "ended_session", "site_base_image", "portal_user");

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private TestDatabase() {
    }

    /** Every table emptied; then the real test accounts known, as if each had signed in once. */
    public static void empty(DataSource dataSource) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (String table : TABLES) {
                    s.execute("delete from " + table);
                }
                break;
            } catch (SQLException e) {
                // the portal's own jobs keep running meanwhile: a row one of them wrote between two deletes can
                // still point at a parent; a second pass removes it
                if (!FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) || attempt == 3) {
                    throw new IllegalStateException("could not empty the tests' database: " + e.getMessage(), e);
                }
            }
        }
        for (String account : TestUsers.REAL_ACCOUNTS) {
            TestUsers.real(dataSource, account);
        }
    }

    /** The first column of the first row of {@code sql}, a count or an id. */
    public static long number(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row of {@code sql}, as text. */
    public static String text(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A record of ds01alice's container "secret._.2001", for tests of what other users may not see or do. */
    public static long alicesSecretContainer(DataSource dataSource) {
        return number(dataSource, "insert into container (node, owner_id, project, name, image_reference, state, created_by) "
                + "select 'testnode', id, 'secret', 'secret._.2001', 'ds01-test/base:latest', 'running', 'web' from portal_user "
                + "where username = 'ds01alice' returning id");
    }
}
