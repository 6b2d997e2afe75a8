package ds01.nodes;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every record names its node with one configured value: rows written before nodes had names keep theirs by the
 * migration, and a row can no longer be written without a node.
 */
@QuarkusTest
class NodeNamesTest {

    private static final String SCHEMA = "node_migration";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ThisNode thisNode;

    @Test
    void theTestsRunAsTheirConfiguredNode() {
        assertThat(thisNode.name()).isEqualTo("testnode");
    }

    @Test
    void withoutDs01NodeNameTheNodeIsThisHostsName() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String expected = (host.contains(".") ? host.substring(0, host.indexOf('.')) : host).toLowerCase();
        assertThat(new HostNameDefault().getValue("ds01.node.name")).isEqualTo(expected).isNotEqualTo("local");
    }

    /** A database from before V10 (a one-server portal's, every row 'local') is given this node's name. */
    @Test
    void rowsFromBeforeNodeNamesBelongToTheNodeThatMigrates() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        Flyway flyway = Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration")
                .placeholders(Map.of("ds01_node", "gpu7")).target("9").load();
        flyway.migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("set search_path to " + SCHEMA);
            s.execute("insert into portal_user (username, uid, gid, home_directory, first_seen_at) values "
                    + "('old_user', 3001, 3001, '/home/old_user', now())");
            s.execute("insert into container (owner_id, project, name, image_reference, state, created_by) "
                    + "select id, 'thesis', 'thesis._.3001', 'ds01-test/base:latest', 'running', 'web' from portal_user");
            s.execute("insert into allocation (slot_id, slot_uuid, weight, owner_id) select '0.1', 'MIG-old', 0.1429, id "
                    + "from portal_user");
            s.execute("set search_path to public");
        }
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration")
                .placeholders(Map.of("ds01_node", "gpu7")).load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("set search_path to " + SCHEMA);
            for (String table : new String[] {"container", "allocation"}) {
                try (ResultSet rs = s.executeQuery("select node from " + table)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(table + " row from before V10").isEqualTo("gpu7");
                }
            }
            assertThatThrownBy(() -> s.execute("insert into allocation (slot_id, slot_uuid, weight, owner_id) "
                    + "select '0.2', 'MIG-new', 0.1429, id from portal_user"))
                    .as("a row that does not say its node").isInstanceOf(SQLException.class)
                    .hasMessageContaining("node");
            s.execute("set search_path to public");
            s.execute("drop schema " + SCHEMA + " cascade");
        }
    }
}
