package ds01.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import ds01.engine.AimeLabels;
import ds01.engine.EngineConnection;
import ds01.gpu.Inventory;
import ds01.gpu.InventoryService;
import ds01.gpu.MigListing;
import io.quarkus.test.junit.QuarkusMock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine the tests run on: the real engine (testing/run-tests.sh starts it) and the captured H100 in 7 MIG
 * slices as the GPU inventory. {@link CleanMachine} puts it back the way it was before each test.
 */
public final class TestMachine {

    static final Path H100 = Path.of("testing/fixtures/nvidia-smi/h100-mig-7x1g.10gb.L.txt");

    /** Marks a container a test makes on the engine itself, not through the portal, so it is cleared away too. */
    public static final String MADE_BY_A_TEST = "ds01.test";

    /** The labels of every container a run makes: the portal's own, AIME's, and the tests'. */
    static final List<String> LABELS = List.of(AimeLabels.MANAGED, AimeLabels.AIME, MADE_BY_A_TEST);

    /**
     * One client shared by the tests of this class loader rather than one opened and closed around each test; it
     * is never closed, and goes with the test JVM.
     */
    private static DockerClient engine;

    private TestMachine() {
    }

    public static synchronized DockerClient engine() {
        if (engine == null) {
            engine = open();
        }
        return engine;
    }

    private static DockerClient open() {
        return EngineConnection.open(System.getenv().getOrDefault("DS01_DOCKER_HOST", EngineConnection.DEFAULT_HOST));
    }

    public static Inventory h100() {
        try {
            return Inventory.of(Optional.empty(), Optional.of(MigListing.parse(Files.readString(H100))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the captured H100 " + H100.toAbsolutePath(), e);
        }
    }

    /** Makes the H100 the portal's inventory for the current test, and returns it. */
    public static Inventory useH100() {
        Inventory h100 = h100();
        QuarkusMock.installMockForType(new FixedInventory(h100), InventoryService.class);
        return h100;
    }

    /**
     * Removes every container the run made (DS01's, AIME's, a test's own), whatever state it is in. Through a
     * client of its own: a test may have restarted the engine, leaving the shared client's connections dead.
     */
    public static void removeContainers() {
        try (DockerClient docker = open()) {
            for (String label : LABELS) {
                for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec()) {
                    docker.removeContainerCmd(c.getId()).withForce(true).exec();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the connection to the engine", e);
        }
    }

    /** A user's containers on the engine, found by the portal's owner label. */
    public static List<Container> containersOf(String user) {
        return engine().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(AimeLabels.USER, user)).exec();
    }
}
