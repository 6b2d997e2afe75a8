package ds01.testing;

import ds01.gpu.InventoryService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link CleanMachine} promises each test: no container of the run's on the engine, the H100 as the
 * inventory, every table empty but for the real test accounts; and that its list of tables is the schema's, in an
 * order no foreign key objects to.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
class CleanMachineTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    InventoryService inventory;

    /** Twice: the second run finds nothing of what the first one left. */
    @RepeatedTest(2)
    void eachTestStartsOnACleanMachineWhateverTheOneBeforeLeft() throws SQLException {
        assertThat(TestMachine.engine().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(TestMachine.MADE_BY_A_TEST)).exec()).as("containers left on the engine").isEmpty();
        assertThat(inventory.current().inventory().slots()).as("the H100's 7 slices")
                .isEqualTo(TestMachine.h100().slots());
        for (String table : TestDatabase.TABLES) {
            if (!table.equals("portal_user")) {
                assertThat(TestDatabase.number(dataSource, "select count(*) from " + table)).as(table).isZero();
            }
        }
        assertThat(users()).containsExactlyInAnyOrder("ds01admin 2003", "ds01alice 2001", "ds01bob 2002");

        // what a test leaves behind
        long owner = TestUsers.standIn(dataSource, "leftover");
        TestDatabase.execute(dataSource, "insert into container (node, owner_id, project, name, image_reference, state, "
                + "created_by) values ('testnode', " + owner + ", 'left', 'left._." + TestUsers.standInUid("leftover") + "', "
                + "'ds01-test/base:latest', 'running', 'web')");
        TestDatabase.execute(dataSource, "insert into audit_event (node, actor_kind, actor, action, target) values "
                + "('testnode', 'user', 'leftover', 'container.deploy', 'left')");
        TestMachine.engine().createContainerCmd("ds01-test/base:latest").withName("cleanmachine-leftover-"
                + System.nanoTime()).withLabels(Map.of(TestMachine.MADE_BY_A_TEST, "CleanMachineTest")).exec();
    }

    @Test
    void itEmptiesEveryTableOfTheSchemaChildrenBeforeTheirParents() throws SQLException {
        List<String> schema = new ArrayList<>();
        List<String[]> references = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_schema = "
                    + "'public' and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    schema.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select conrelid::regclass::text, confrelid::regclass::text "
                    + "from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace")) {
                while (rs.next()) {
                    references.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        assertThat(TestDatabase.TABLES).as("TestDatabase.TABLES, against the migrations' tables")
                .containsExactlyInAnyOrderElementsOf(schema);
        assertThat(references).as("foreign keys").isNotEmpty();
        for (String[] r : references) {
            if (!r[0].equals(r[1])) {
                assertThat(TestDatabase.TABLES.indexOf(r[0])).as(r[0] + " points at " + r[1] + ", so goes first")
                        .isLessThan(TestDatabase.TABLES.indexOf(r[1]));
            }
        }
    }

    @Test
    void standInsHaveUidsNoRealAccountCanHave() {
        for (String name : List.of("leftover", "load1", "qstu1", "dfiller", "schema_alice")) {
            assertThat(TestUsers.standInUid(name)).as(name).isBetween(2_000_000_000, 2_099_999_999);
        }
    }

    private List<String> users() throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select username, uid from portal_user")) {
            while (rs.next()) {
                users.add(rs.getString(1) + " " + rs.getInt(2));
            }
        }
        return users;
    }
}
