package ds01.testing;

import ds01.identity.HostAccount;
import ds01.identity.NssHostAccounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The one way tests make portal users: a stand-in (a row only, no host account behind it) or a real test account
 * (testing/setup-accounts.sh makes them) with its uid, gid and home as the host has them. Either way the row is
 * made or brought in step, so a row an older run left with other numbers is corrected.
 */
public final class TestUsers {

    /** The real accounts every clean database knows: the ones the tests deploy for and sign in as. */
    public static final List<String> REAL_ACCOUNTS = List.of("ds01alice", "ds01bob", "ds01admin");

    /**
     * Stand-ins' uids lie in [2 000 000 000, 2 100 000 000): above every range Linux hands out to accounts
     * (login.defs stops at 60000, systemd's container ranges at 1 879 048 191) and below 2^31, where PostgreSQL's
     * integer and some tools end. No real account can have one, so a stand-in is never mistaken for one.
     */
    static final int STAND_IN_UIDS = 2_000_000_000;
    static final int STAND_IN_SPAN = 100_000_000;

    private TestUsers() {
    }

    /** The uid a stand-in of this name has, the same in every run. */
    public static int standInUid(String username) {
        return STAND_IN_UIDS + Math.floorMod(username.hashCode(), STAND_IN_SPAN);
    }

    /** A portal user with no host account; its row id. */
    public static long standIn(DataSource dataSource, String username) {
        try (Connection c = dataSource.getConnection()) {
            return standIn(c, username);
        } catch (SQLException e) {
            throw new IllegalStateException("no connection to the tests' database: " + e.getMessage(), e);
        }
    }

    public static long standIn(Connection connection, String username) {
        int uid = standInUid(username);
        return upsert(connection, username, uid, uid, "/nonexistent");
    }

    /** Stand-ins {@code prefix1} to {@code prefixCount}. */
    public static void standIns(DataSource dataSource, String prefix, int count) {
        try (Connection c = dataSource.getConnection()) {
            for (int i = 1; i <= count; i++) {
                standIn(c, prefix + i);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("no connection to the tests' database: " + e.getMessage(), e);
        }
    }

    /** The portal user of a real test account, by its real uid, gid and home; its row id. */
    public static long real(DataSource dataSource, String username) {
        try (Connection c = dataSource.getConnection()) {
            return real(c, username);
        } catch (SQLException e) {
            throw new IllegalStateException("no connection to the tests' database: " + e.getMessage(), e);
        }
    }

    public static long real(Connection connection, String username) {
        HostAccount account = new NssHostAccounts().find(username).orElseThrow(() -> new IllegalStateException(
                "the host has no account " + username + ": testing/setup-accounts.sh (run by testing/run-tests.sh) "
                        + "makes the test accounts"));
        return upsert(connection, account.username(), account.uid(), account.gid(), account.home());
    }

    private static long upsert(Connection connection, String username, int uid, int gid, String home) {
        String sql = "insert into portal_user (username, uid, gid, home_directory) values (?, ?, ?, ?) "
                + "on conflict (username) do update set uid = excluded.uid, gid = excluded.gid, "
                + "home_directory = excluded.home_directory returning id";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, username);
            s.setInt(2, uid);
            s.setInt(3, gid);
            s.setString(4, home);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not make portal user " + username + ": " + e.getMessage(), e);
        }
    }
}
