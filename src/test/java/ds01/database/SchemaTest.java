package ds01.database;

import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema comes from the Flyway migrations, and PostgreSQL itself defends the slot invariant. */
@QuarkusTest
class SchemaTest {

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    @AfterEach
    void clean() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from allocation where owner_id in (select id from portal_user where username like 'schema_%')");
            s.execute("delete from container where owner_id in (select id from portal_user where username like 'schema_%')");
            s.execute("delete from portal_user where username like 'schema_%'");
        }
    }

    @Test
    void migrationsCreateTheTablesTheFeaturesNeed() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select table_name from information_schema.tables "
                        + "where table_schema = 'public' order by table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("portal_user", "allocation", "container", "image", "audit_event",
                "flyway_schema_history");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version, success from flyway_schema_history where version = '1'")) {
            assertThat(rs.next()).as("V1 recorded by Flyway").isTrue();
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }

    @Test
    void aSlotCannotBeHeldByTwoLiveAllocations() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long alice = TestUsers.standIn(c, "schema_alice");
            long bob = TestUsers.standIn(c, "schema_bob");
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) values "
                    + "('testnode', '0.1', 'MIG-aaaa', 0.1429, " + alice + ")");
            assertThatThrownBy(() -> s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) values "
                    + "('testnode', '0.1', 'MIG-aaaa', 0.1429, " + bob + ")"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("allocation_live_slot");
            // the same slot on another node is another slot
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) values "
                    + "('node2', '0.1', 'MIG-bbbb', 0.1429, " + bob + ")");
            // once released, the slot can be allocated again; the released row stays as history
            s.execute("update allocation set released_at = now(), release_reason = 'retired' "
                    + "where owner_id = " + alice);
            s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) values "
                    + "('testnode', '0.1', 'MIG-aaaa', 0.1429, " + bob + ")");
            try (ResultSet rs = s.executeQuery("select count(*) from allocation where slot_id = '0.1' and node = 'testnode'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void slotIdsAndUsernamesFollowTheirGrammar() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long alice = TestUsers.standIn(c, "schema_carol");
            assertThatThrownBy(() -> s.execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) values "
                    + "('testnode', '0; drop table x', 'GPU-x', 1, " + alice + ")"))
                    .hasMessageContaining("allocation_slot_grammar");
            assertThatThrownBy(() -> TestUsers.standIn(c, "Schema_Bad Name"))
                    .hasMessageContaining("portal_user_username_grammar");
        }
    }
}
