package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import ds01.engine.EngineConnection;
import ds01.gpu.FixedInventory;
import ds01.gpu.Inventory;
import ds01.gpu.InventoryService;
import ds01.gpu.MigListing;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The machine the container tests run on: the real engine (testing/run-tests.sh starts it), the captured H100
 * in 7 MIG slices as the GPU inventory, and a database without containers, allocations or queue.
 */
public final class TestMachine {

    static final Path H100 = Path.of("testing/fixtures/nvidia-smi/h100-mig-7x1g.10gb.L.txt");

    private TestMachine() {
    }

    public static DockerClient engine() {
        return EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST", EngineConnection.DEFAULT_HOST));
    }

    public static Inventory h100() {
        try {
            return Inventory.of(Optional.empty(), Optional.of(MigListing.parse(Files.readString(H100))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the H100 the portal's inventory for the current test, and returns it. */
    public static Inventory useH100() {
        Inventory h100 = h100();
        QuarkusMock.installMockForType(new FixedInventory(h100), InventoryService.class);
        return h100;
    }

    /** Removes every DS01 or AIME container from the engine. */
    public static void removeContainers(DockerClient docker) {
        for (String label : List.of("ds01.managed", "aime.mlc")) {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
    }

    /** No containers, allocations or queue in the database; ds01alice (2001) and ds01bob (2002) known. */
    public static void emptyDatabase(AgroalDataSource dataSource) {
        execute(dataSource, "delete from gpu_request");
        execute(dataSource, "delete from allocation");
        execute(dataSource, "delete from container");
        for (String[] u : new String[][] {{"ds01alice", "2001"}, {"ds01bob", "2002"}}) {
            execute(dataSource, "insert into portal_user (username, uid, gid, home_directory) values ('" + u[0] + "', "
                    + u[1] + ", " + u[1] + ", '/home/" + u[0] + "') on conflict (username) do nothing");
        }
    }

    /** A record of ds01alice's container "secret._.2001", for tests of what other users may not see or do. */
    public static long alicesSecretContainer(AgroalDataSource dataSource) {
        return number(dataSource, "insert into container (node, owner_id, project, name, image_reference, state, created_by) "
                + "select 'testnode', id, 'secret', 'secret._.2001', 'ds01-test/base:latest', 'running', 'web' from portal_user "
                + "where username = 'ds01alice' returning id");
    }

    /** The first column of the first row of {@code sql}, a count or an id. */
    public static long number(AgroalDataSource dataSource, String sql) {
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
    public static String text(AgroalDataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void execute(AgroalDataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
