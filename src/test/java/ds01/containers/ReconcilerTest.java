package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import ds01.events.Actor;
import ds01.gpu.Allocator;
import ds01.identity.HostAccounts;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reconciler on the real engine: containers removed or stopped behind the portal's back, a deploy the
 * portal died in, and DS01/AIME containers it never made; each corrected once, and a second run changes nothing.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
class ReconcilerTest {

    @Inject
    Reconciler reconciler;

    @Inject
    DeployFlow deploys;

    @Inject
    ContainerActions actions;

    @Inject
    Allocator allocator;

    @Inject
    HostAccounts accounts;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ds01.engine.ContainerEngine engine;

    final DockerClient docker = TestMachine.engine();

    @BeforeEach
    void nothingToReconcile() {
        assertThat(reconciler.reconcile(true).corrections()).as("a clean machine").isEmpty();
    }

    private Outcome deploy(String project, int gpus) {
        Outcome outcome = deploys.deploy(new DeployFlow.DeployRequest(accounts.find("ds01alice")
                .orElseThrow(), project, "ds01-test/base:latest", new DeployFlow.GpuChoice(gpus, false, Optional.empty()),
                "web"));
        assertThat(outcome.result()).as(outcome.message()).isEqualTo(Outcome.Result.running);
        return outcome;
    }

    @Test
    void aContainerRemovedBehindThePortalsBackClosesItsRecordAndFreesItsSlotOnce() throws SQLException {
        Outcome outcome = deploy("gone", 1);
        docker.removeContainerCmd("gone._.2001").withForce(true).exec();

        assertThat(reconciler.reconcile(false).corrections()).singleElement().asString()
                .contains("container.vanished gone._.2001", "1 GPU slot(s) released");
        assertThat(allocator.live(Optional.empty())).isEmpty();
        assertThat(count("select count(*) from container where id = " + outcome.containerId()
                + " and state = 'missing' and retired_at is not null")).isEqualTo(1);
        assertThat(reconciler.reconcile(false).corrections()).as("idempotent").isEmpty();
    }

    @Test
    void aContainerStoppedOutsideThePortalIsRecordedStoppedAndItsSlotHeld() {
        deploy("halted", 1);
        docker.stopContainerCmd("halted._.2001").withTimeout(1).exec();

        assertThat(reconciler.reconcile(false).corrections()).singleElement().asString()
                .contains("container.state halted._.2001", "running -> stopped");
        assertThat(allocator.live(Optional.of("ds01alice"))).singleElement()
                .satisfies(h -> assertThat(h.onHold()).as("gpu_hold_after_stop runs").isTrue());
        assertThat(reconciler.reconcile(false).corrections()).isEmpty();
    }

    @Test
    void aDeployOrStartThatFinishesBetweenTheEnginesListAndTheRecordsIsNotUndoneOrMarkedStopped() throws SQLException {
        // the engine listed first, then a deploy made and started its container and recorded it running
        var beforeTheDeploy = engine.managed();
        Outcome outcome = deploy("late", 0);
        assertThat(reconciler.reconcile(false, beforeTheDeploy).corrections()).as("not vanished").isEmpty();
        // listed while stopped, then started again (as a deploy between its create and start steps looks)
        docker.stopContainerCmd("late._.2001").withTimeout(1).exec();
        var whileStopped = engine.managed();
        docker.startContainerCmd("late._.2001").exec();
        assertThat(reconciler.reconcile(false, whileStopped).corrections()).as("not marked stopped").isEmpty();
        assertThat(count("select count(*) from container where id = " + outcome.containerId()
                + " and state = 'running' and retired_at is null")).isEqualTo(1);
        // and the other way: listed, then retired, is not adopted back
        var beforeTheRetire = engine.managed();
        actions.retire(outcome.containerId(), Actor.user("ds01alice"));
        assertThat(reconciler.reconcile(false, beforeTheRetire).corrections()).as("not adopted").isEmpty();
    }

    @Test
    void aDeployThePortalDiedInIsUndoneAtStartButNotWhileYoung() throws SQLException {
        Outcome outcome = deploy("halfway", 1);
        // as if the portal had been killed between "Create the container" and "Start the container"
        docker.stopContainerCmd("halfway._.2001").withTimeout(1).exec();
        execute("update container set state = 'created' where id = " + outcome.containerId());

        assertThat(reconciler.reconcile(false).corrections()).as("a deploy under way is left alone").isEmpty();
        assertThat(reconciler.reconcile(true).corrections()).singleElement().asString()
                .contains("container.deploy-undone halfway._.2001", "half-made container was removed");
        assertThatThrownBy(() -> docker.inspectContainerCmd("halfway._.2001").exec()).isInstanceOf(NotFoundException.class);
        assertThat(allocator.live(Optional.empty())).as("no orphan allocation").isEmpty();
        assertThat(reconciler.reconcile(true).corrections()).isEmpty();
    }

    @Test
    void aDeployFromTheGpuQueueThePortalDiedInIsUndoneAtStartAndAClosedContainersRequestWaitsNoMore() {
        Outcome outcome = deploy("granted", 1);
        // as if the queue had granted a waiting deploy its slot and the portal had been killed before making its
        // container (CrashIT found it so: the record queued, the slot held, no container, for good)
        docker.removeContainerCmd("granted._.2001").withForce(true).exec();
        execute("update container set state = 'queued', docker_id = null, started_at = null where id = "
                + outcome.containerId());

        assertThat(reconciler.reconcile(false).corrections()).as("a deploy from the queue under way is left alone")
                .isEmpty();
        assertThat(reconciler.reconcile(true).corrections()).singleElement().asString()
                .contains("container.deploy-undone granted._.2001", "the deploy from the GPU queue did not finish",
                        "1 GPU slot(s) released");
        assertThat(allocator.live(Optional.empty())).as("no slot held for nobody").isEmpty();
        assertThat(count("select count(*) from container where id = " + outcome.containerId()
                + " and state = 'failed' and retired_at is not null")).isEqualTo(1);
        assertThat(reconciler.reconcile(true).corrections()).as("idempotent").isEmpty();

        // killed after its request joined the queue, before anything closed it: the request ends, never to be
        // granted to a container that is gone
        Outcome closed = deploy("closed", 0);
        actions.retire(closed.containerId(), Actor.user("ds01alice"));
        execute("insert into gpu_request (node, owner_id, container_id, slot_count, whole_gpu, priority, expires_at) "
                + "select 'testnode', owner_id, id, 1, false, 10, now() + interval '1 hour' from container where id = "
                + closed.containerId());
        assertThat(reconciler.reconcile(false).corrections()).singleElement().asString()
                .contains("gpu.queue-cancel closed._.2001", "1 waiting request(s) of a closed container");
        assertThat(count("select count(*) from gpu_request where state = 'waiting'")).isZero();
        assertThat(reconciler.reconcile(false).corrections()).as("idempotent").isEmpty();
    }

    @Test
    void ds01AndAimeContainersThePortalNeverMadeAreAdoptedWithTheirSlotsStrangersAreLeftAlone() throws Exception {
        String uuid = allocatorSlotUuid("0.3");
        String legacy = docker.createContainerCmd("ds01-test/base:latest").withName("legacy._.2002").withTty(true)
                .withLabels(Map.of("ds01.managed", "true", "ds01.user", "ds01bob", "ds01.gpu.slots", "0.3",
                        "ds01.gpu.uuids", uuid, "ds01.created_by", "web")).exec().getId();
        docker.startContainerCmd(legacy).exec();
        // made by DS01's scripts or AIME's mlc create: the GPU is only in aime.mlc.GPUS, as docker's --gpus took it
        docker.createContainerCmd("ds01-test/base:latest").withName("notebook._.2002").withTty(true)
                .withLabels(Map.of("aime.mlc", "notebook._.2002", "aime.mlc.USER", "ds01bob",
                        "aime.mlc.GPUS", "device=" + allocatorSlotUuid("0.5"))).exec();
        docker.createContainerCmd("ds01-test/base:latest").withName("everything._.2001").withTty(true)
                .withLabels(Map.of("aime.mlc", "everything._.2001", "aime.mlc.USER", "ds01alice",
                        "aime.mlc.GPUS", "all")).exec();
        docker.createContainerCmd("ds01-test/base:latest").withName("stray._.4242").withTty(true)
                .withLabels(Map.of("aime.mlc", "stray._.4242", "aime.mlc.USER", "nosuchuser")).exec();

        assertThat(reconciler.reconcile(false).corrections()).containsExactlyInAnyOrder(
                "container.adopt legacy._.2002: owner ds01bob", "container.adopt notebook._.2002: owner ds01bob",
                "container.adopt everything._.2001: owner ds01alice");
        assertThat(count("select count(*) from container c join portal_user u on u.id = c.owner_id where "
                + "u.username = 'ds01bob' and c.name = 'legacy._.2002' and c.state = 'running' and c.project = 'legacy' "
                + "and c.started_at is not null"))
                .isEqualTo(1);
        assertThat(count("select count(*) from container where name = 'notebook._.2002' and state = 'stopped'"))
                .isEqualTo(1);
        assertThat(allocator.live(Optional.of("ds01bob"))).extracting(Allocator.Held::slotId).as("their slots are held")
                .containsExactlyInAnyOrder("0.3", "0.5");
        assertThat(allocator.live(Optional.of("ds01alice"))).as("all GPUs name no slot in particular").isEmpty();
        assertThat(count("select count(*) from audit_event where action = 'container.adopt' and target = "
                + "'everything._.2001' and detail like '%aime.mlc.GPUS=all%retire it%'")).isPositive();
        assertThat(count("select count(*) from container where name = 'stray._.4242'")).isZero();
        assertThat(reconciler.reconcile(false).corrections()).as("idempotent").isEmpty();

        // and retiring an adopted container works like any other
        long id = count("select id from container where name = 'legacy._.2002'");
        actions.retire(id, Actor.user("ds01bob"));
        assertThat(allocator.live(Optional.of("ds01bob"))).extracting(Allocator.Held::slotId).containsExactly("0.5");
    }

    @Test
    void aimeGpuLabelsNameSlotsByIndexMigIndexOrUuid() {
        java.util.List<ds01.gpu.Slot> h100 = TestMachine.h100().slots();
        java.util.List<ds01.gpu.Slot> whole = new ds01.gpu.CapturedNvidiaSmi("h100").inventory().slots();
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", "device=0"), whole)).containsExactly("0");
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", "\"device=GPU-00000000-0000-0000-0000-000000000000\""),
                whole)).containsExactly("0");
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", "device=0:2,0:4"), h100)).containsExactly("0.2", "0.4");
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", allocatorSlotUuid("0.6")), h100)).containsExactly("0.6");
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", "all"), h100)).isEmpty();
        assertThat(Reconciler.labelledSlots(Map.of("aime.mlc.GPUS", "device=7"), whole)).as("not on this machine").isEmpty();
        assertThat(Reconciler.labelledSlots(Map.of("ds01.gpu.slots", "0.1", "aime.mlc.GPUS", "x"), h100))
                .as("the portal's own label decides").containsExactly("0.1");
    }

    private static String allocatorSlotUuid(String slotId) {
        return TestMachine.h100().slots().stream().filter(s -> s.id().equals(slotId)).findFirst().orElseThrow().uuid();
    }

    private long count(String sql) {
        return TestDatabase.number(dataSource, sql);
    }

    private void execute(String sql) {
        TestDatabase.execute(dataSource, sql);
    }
}
