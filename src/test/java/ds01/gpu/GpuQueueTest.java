package ds01.gpu;

import ds01.events.Actor;
import ds01.testing.CleanMachine;
import ds01.testing.FixedInventory;
import ds01.testing.QueueLimits;
import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The queue and holds on a machine of one GPU in two slices: priority then arrival, the first request that fits,
 * cancel, expiry, refusals never queued, holds after stop and their end, each move in the audit log.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(QueueLimits.class)
class GpuQueueTest {

    @Inject
    GpuQueue queue;

    @Inject
    GpuHolds holds;

    @Inject
    Allocator allocator;

    @Inject
    GrantedRequests grants;

    @Inject
    AgroalDataSource dataSource;

    private final Inventory twoSlices = TestInventories.migSlices(1, 2);

    @BeforeEach
    void twoSlicesAndTheirUsers() {
        for (String user : List.of("qstu1", "qstu2", "qstu3", "qres1", "qvip")) {
            TestUsers.standIn(dataSource, user);
        }
        grants.seen.clear();
        // the queue serves releases from the machine's inventory: for these tests, this one
        QuarkusMock.installMockForType(new FixedInventory(twoSlices), InventoryService.class);
    }

    private AllocationResult ask(String user, int count) {
        return ask(user, count, null);
    }

    private AllocationResult ask(String user, int count, Long container) {
        return queue.request(new AllocationRequest(user, Set.of(), container, count, false, Optional.empty()), twoSlices);
    }

    private static List<String> slotsOf(AllocationResult result) {
        assertThat(result).isInstanceOf(AllocationResult.Granted.class);
        return ((AllocationResult.Granted) result).slots().stream().map(Slot::id).toList();
    }

    @Test
    void waitingRequestsAreServedByPriorityThenArrival() {
        List<String> first = slotsOf(ask("qstu1", 1));
        slotsOf(ask("qstu2", 1));

        AllocationResult student = ask("qstu3", 1);
        assertThat(student).isInstanceOf(AllocationResult.Queued.class);
        assertThat(((AllocationResult.Queued) student).position()).isEqualTo(1);
        assertThat(((AllocationResult.Queued) student).message()).contains("position 1", "priority 10", "cancel");
        AllocationResult researcher = ask("qres1", 1);
        assertThat(((AllocationResult.Queued) researcher).position()).as("priority 50 goes before 10").isEqualTo(1);
        AllocationResult vip = ask("qvip", 1);
        assertThat(((AllocationResult.Queued) vip).position()).as("a user override counts as 100").isEqualTo(1);
        assertThat(queue.waiting(Optional.empty())).extracting(GpuQueue.Entry::owner, GpuQueue.Entry::position,
                GpuQueue.Entry::priority).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("qvip", 1, 100),
                        org.assertj.core.groups.Tuple.tuple("qres1", 2, 50),
                        org.assertj.core.groups.Tuple.tuple("qstu3", 3, 10));
        assertThat(queue.waiting(Optional.of("qstu3"))).as("a user sees their own, with the real position")
                .extracting(GpuQueue.Entry::position).containsExactly(3);

        allocator.release("qstu1", first, Actor.user("qstu1"), "retired");

        assertThat(allocator.live(Optional.of("qvip"))).as("the release served the first in the queue")
                .extracting(Allocator.Held::slotId).containsExactlyElementsOf(first);
        assertThat(grants.seen).extracting(GpuQueue.RequestGranted::username).containsExactly("qvip");
        assertThat(queue.waiting(Optional.empty())).extracting(GpuQueue.Entry::owner).containsExactly("qres1", "qstu3");
        assertThat(auditActions("request " + ((AllocationResult.Queued) vip).requestId())).contains("gpu.queue");
    }

    @Test
    void theFirstWaitingRequestThatFitsGetsTheSlotAndANewcomerDoesNotJumpTheQueue() {
        List<String> held = slotsOf(ask("qstu1", 2));
        AllocationResult two = ask("qres1", 2);
        assertThat(two).isInstanceOf(AllocationResult.Queued.class);
        allocator.release("qstu1", held.subList(0, 1), Actor.user("qstu1"), "stopped one");
        assertThat(queue.waiting(Optional.empty())).as("two slots do not fit in one").hasSize(1);

        AllocationResult one = ask("qstu2", 1);
        assertThat(slotsOf(one)).as("behind a request that does not fit, a smaller one that fits is served")
                .containsExactlyElementsOf(held.subList(0, 1));
        assertThat(grants.seen).as("the caller got the answer; no event for it").isEmpty();
    }

    @Test
    void overQuotaAndMalformedRequestsAreRefusedAndNeverQueued() throws SQLException {
        long container = container("qstu1", "thesis");
        slotsOf(ask("qstu1", 2, container));
        AllocationResult over = ask("qstu1", 1);
        assertThat(over).isInstanceOf(AllocationResult.Refused.class);
        assertThat(((AllocationResult.Refused) over).message()).as("says the limit, what is held and by which "
                + "container, and what to do").contains("limit is 2 GPU slots", "0.0 (container thesis._.",
                        "0.1 (container thesis._.", "Stop or retire a container", "CPU-only");
        assertThat(ask("qstu2", 0)).isInstanceOf(AllocationResult.Refused.class);
        assertThat(ask("qstu2", 3)).isInstanceOf(AllocationResult.Refused.class);
        assertThat(queue.request(new AllocationRequest("qstu2", Set.of(), null, 1, false, Optional.of("3g.40gb")),
                twoSlices)).isInstanceOf(AllocationResult.Refused.class);
        assertThat(ask("nobody", 1)).isInstanceOf(AllocationResult.Refused.class);
        assertThat(queue.waiting(Optional.empty())).isEmpty();
        assertThat(count("select count(*) from gpu_request")).isZero();
    }

    @Test
    void behindAWaitingRequestAnOverQuotaOneIsStillRefusedNotQueued() throws SQLException {
        slotsOf(ask("qstu1", 2));
        assertThat(ask("qstu2", 1)).isInstanceOf(AllocationResult.Queued.class);
        AllocationResult over = ask("qstu1", 1);
        assertThat(over).isInstanceOf(AllocationResult.Refused.class);
        assertThat(((AllocationResult.Refused) over).reason()).isEqualTo("quota");
        assertThat(count("select count(*) from gpu_request")).as("only qstu2's request ever queued").isEqualTo(1);
    }

    @Test
    void aWaitingRequestKeepsWaitingWhileTheMachineIsRepartitionedAndEndsWhenItsOwnerGoesOverQuota()
            throws SQLException {
        slotsOf(ask("qstu1", 2));
        long waiting = ((AllocationResult.Queued) queue.request(new AllocationRequest("qstu2", Set.of(), null, 1, false,
                Optional.of("1g.10gb")), twoSlices)).requestId();
        Inventory wholeGpuNow = Inventory.of(Optional.empty(), Optional.of(MigListing.parse(
                "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-00000009-0000-0000-0000-000000000000)\n")));
        execute("delete from audit_event where action = 'gpu.refuse' and actor = 'qstu2'");

        assertThat(queue.advance(wholeGpuNow).get(waiting)).as("no 1g.10gb slices on the machine now")
                .isInstanceOf(AllocationResult.Refused.class);
        assertThat(queue.waiting(Optional.of("qstu2"))).as("an admin may be re-partitioning: it waits on").hasSize(1);
        assertThat(count("select count(*) from audit_event where action = 'gpu.refuse' and actor = 'qstu2'"))
                .as("and no refusal is recorded for it on every sweep").isZero();

        execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '7.0', 'MIG-x', 0.1429, id "
                + "from portal_user where username = 'qstu2'");
        execute("insert into allocation (node, slot_id, slot_uuid, weight, owner_id) select 'testnode', '7.1', 'MIG-y', 0.1429, id "
                + "from portal_user where username = 'qstu2'");
        execute("update allocation set released_at = now() where slot_id = '0.0'");
        queue.advance(twoSlices);
        assertThat(queue.waiting(Optional.of("qstu2"))).as("holding 2 of 2 now, waiting cannot help").isEmpty();
        assertThat(count("select count(*) from gpu_request where state = 'refused' and end_reason like '%limit is 2%'"))
                .isEqualTo(1);
        assertThat(auditActions("request " + waiting)).contains("gpu.queue", "gpu.queue-refuse");
    }

    @Test
    void ownersAndAdminsCancelOthersCannot() {
        slotsOf(ask("qstu1", 2));
        long mine = ((AllocationResult.Queued) ask("qstu2", 1)).requestId();
        long theirs = ((AllocationResult.Queued) ask("qstu3", 1)).requestId();

        assertThat(queue.cancel(mine, Optional.of("qstu3"), Actor.user("qstu3"))).as("not theirs").isFalse();
        assertThat(queue.cancel(mine, Optional.of("qstu2"), Actor.user("qstu2"))).isTrue();
        assertThat(queue.cancel(mine, Optional.of("qstu2"), Actor.user("qstu2"))).as("only once").isFalse();
        assertThat(queue.cancel(theirs, Optional.empty(), Actor.user("ds01admin"))).as("an admin").isTrue();
        assertThat(queue.waiting(Optional.empty())).isEmpty();
        assertThat(auditActions("request " + mine)).contains("gpu.queue", "gpu.queue-cancel");
    }

    @Test
    void requestsExpireAfterTheConfiguredWait() throws SQLException {
        slotsOf(ask("qstu1", 2));
        AllocationResult.Queued waiting = (AllocationResult.Queued) ask("qstu2", 1);
        OffsetDateTime expires = queue.waiting(Optional.empty()).get(0).expiresAt();
        assertThat(Duration.between(OffsetDateTime.now(), expires).toMinutes()).as("ds01.gpu.queue-wait, 4h")
                .isCloseTo(239L, within(1L));
        assertThat(queue.expire()).isZero();

        execute("update gpu_request set expires_at = now() - interval '1 second' where id = " + waiting.requestId());
        assertThat(queue.expire()).isEqualTo(1);
        assertThat(queue.waiting(Optional.empty())).isEmpty();
        assertThat(count("select count(*) from gpu_request where state = 'expired' and end_reason like "
                + "'no slot came free within 4 h'")).isEqualTo(1);
        assertThat(auditActions("request " + waiting.requestId() + " of qstu2")).containsExactly("gpu.queue-expire");
    }

    @Test
    void aStoppedContainerHoldsItsSlotsForItsOwnersHoldTimeThenTheQueueGetsThem() throws SQLException {
        long studentContainer = container("qstu1", "holdme");
        long researcherContainer = container("qres1", "keepme");
        List<String> studentSlot = slotsOf(ask("qstu1", 1, studentContainer));
        slotsOf(ask("qres1", 1, researcherContainer));
        long waiting = ((AllocationResult.Queued) ask("qstu2", 1)).requestId();

        GpuHolds.Hold studentHold = holds.containerStopped(studentContainer, Actor.user("qstu1"));
        assertThat(studentHold.slotIds()).containsExactlyElementsOf(studentSlot);
        assertThat(Duration.between(OffsetDateTime.now(), studentHold.until().orElseThrow()).toMinutes())
                .as("students: gpu_hold_after_stop 10m").isCloseTo(9L, within(1L));
        GpuHolds.Hold researcherHold = holds.containerStopped(researcherContainer, Actor.user("qres1"));
        assertThat(researcherHold.until()).as("researchers: null, held until removed").isEmpty();
        assertThat(allocator.live(Optional.empty())).allMatch(Allocator.Held::onHold);
        assertThat(holds.releaseEnded()).as("no hold has ended yet").isZero();

        assertThat(holds.containerStarted(researcherContainer, Actor.user("qres1"))).hasSize(1);
        assertThat(allocator.live(Optional.of("qres1"))).noneMatch(Allocator.Held::onHold);

        execute("update allocation set hold_until = now() - interval '1 second' where container_id = " + studentContainer);
        assertThat(holds.releaseEnded()).isEqualTo(1);
        assertThat(allocator.live(Optional.of("qstu1"))).isEmpty();
        assertThat(allocator.live(Optional.of("qstu2"))).as("the freed slot went to the queue")
                .extracting(Allocator.Held::slotId).containsExactlyElementsOf(studentSlot);
        assertThat(grants.seen).extracting(GpuQueue.RequestGranted::requestId).containsExactly(waiting);
        assertThat(count("select count(*) from audit_event where action in ('gpu.hold', 'gpu.hold-end') "
                + "and occurred_at > now() - interval '1 minute'")).isGreaterThanOrEqualTo(3);
        assertThat(count("select count(*) from allocation where container_id = " + studentContainer
                + " and release_reason like '%gpu_hold_after_stop%'")).isEqualTo(1);
    }

    private long container(String owner, String project) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("insert into container (node, owner_id, project, name, image_reference, state, "
                        + "created_by) select 'testnode', id, 'qtest', '" + project + "._.' || uid, 'ds01-test/base:latest', 'running', "
                        + "'web' from portal_user where username = '" + owner + "' returning id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> auditActions(String target) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select action from audit_event where target = '" + target + "' order by id")) {
            List<String> actions = new java.util.ArrayList<>();
            while (rs.next()) {
                actions.add(rs.getString(1));
            }
            return actions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
