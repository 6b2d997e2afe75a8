package ds01.gpu;

import ds01.testing.CleanMachine;
import ds01.testing.TestUsers;
import ds01.testing.TightQuota;
import io.agroal.api.AgroalDataSource;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants 1 and 2 under load: 200 concurrent requests from 50 users at 4 GPUs split into 28 MIG slices.
 * The database must show no slot held twice and no user over quota, and the slots must not go unused.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(TightQuota.class)
class AllocatorConcurrencyTest {

    @Inject
    Allocator allocator;

    @Inject
    AgroalDataSource dataSource;

    static Inventory fourGpusInSevenSlices() {
        return TestInventories.migSlices(4, 7);
    }

    @BeforeEach
    void fiftyUsers() {
        TestUsers.standIns(dataSource, "load", 50);
    }

    @Test
    void twoHundredConcurrentRequestsNeverDoubleAllocateOrExceedAQuota() throws Exception {
        Inventory inventory = fourGpusInSevenSlices();
        assertThat(inventory.slots()).hasSize(28);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Callable<AllocationResult>> requests = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            String user = "load" + (r % 50 + 1);
            int count = r % 3 == 0 ? 2 : 1;
            requests.add(() -> allocator.allocate(
                    new AllocationRequest(user, Set.of(), null, count, false, Optional.empty()), inventory));
        }
        int granted = 0;
        int refusedForQuota = 0;
        for (Future<AllocationResult> f : pool.invokeAll(requests)) {
            AllocationResult result = f.get();
            if (result instanceof AllocationResult.Granted g) {
                granted += g.slots().size();
            } else if (result instanceof AllocationResult.Refused refused && refused.reason().equals("quota")) {
                refusedForQuota++;
            }
        }
        pool.shutdown();

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*), count(distinct slot_id) from allocation "
                    + "where released_at is null")) {
                rs.next();
                assertThat(rs.getInt(1)).as("live allocations").isEqualTo(granted).isBetween(24, 28);
                assertThat(rs.getInt(2)).as("distinct slots").isEqualTo(granted);
            }
            try (ResultSet rs = s.executeQuery("select u.username, sum(a.weight) from allocation a join portal_user u "
                    + "on u.id = a.owner_id where a.released_at is null group by u.username having sum(a.weight) > 0.3")) {
                assertThat(rs.next()).as("a user over quota").isFalse();
            }
        }
        assertThat(refusedForQuota).as("the quota did bind").isPositive();
    }

    @Test
    void badRequestsAreRefusedAndHoldNothing() throws SQLException {
        Inventory inventory = fourGpusInSevenSlices();
        for (AllocationRequest bad : List.of(
                new AllocationRequest("load1", Set.of(), null, 0, false, Optional.empty()),
                new AllocationRequest("load1", Set.of(), null, -2, false, Optional.empty()),
                new AllocationRequest("load1", Set.of(), null, 29, false, Optional.empty()),
                new AllocationRequest("load1", Set.of(), null, 1, false, Optional.of("7g.80gb")),
                new AllocationRequest("load1", Set.of(), null, 3, false, Optional.empty()),
                new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty(), Optional.of("9.9")),
                new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty(), Optional.of("0.x")),
                new AllocationRequest("load1", Set.of(), null, 2, false, Optional.empty(), Optional.of("0.1")),
                new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty(), Optional.of("3.6")))) {
            assertThat(allocator.allocate(bad, inventory)).as(bad.toString()).isInstanceOf(AllocationResult.Refused.class);
        }
        AllocationResult.Refused missing = (AllocationResult.Refused) allocator.allocate(new AllocationRequest("load1",
                Set.of(), null, 1, false, Optional.empty(), Optional.of("9.9")), inventory);
        assertThat(missing.message()).contains("no GPU slot \"9.9\"", "0.0, 0.1");
        AllocationResult.Refused reserved = (AllocationResult.Refused) allocator.allocate(new AllocationRequest("load1",
                Set.of(), null, 1, false, Optional.empty(), Optional.of("3.6")), inventory);
        assertThat(reserved.reason()).isEqualTo("reserved");
        assertThat(reserved.message()).contains("reserved for load9");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from allocation where released_at is null")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void releasingFreesTheSlotForOthersAndKeepsTheHistory() throws SQLException {
        Inventory inventory = fourGpusInSevenSlices();
        AllocationResult first = allocator.allocate(
                new AllocationRequest("load1", Set.of(), null, 2, false, Optional.empty()), inventory);
        assertThat(first).isInstanceOf(AllocationResult.Granted.class);
        List<String> slots = ((AllocationResult.Granted) first).slots().stream().map(Slot::id).toList();
        assertThat(slots).as("spread over two physical GPUs").extracting(id -> id.charAt(0)).doesNotHaveDuplicates();
        assertThat(allocator.live(Optional.of("load1"))).extracting(Allocator.Held::slotId).containsExactlyElementsOf(slots);
        assertThat(allocator.allocate(new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty()),
                inventory)).as("quota 0.3 is used up").isInstanceOf(AllocationResult.Refused.class);

        assertThat(allocator.release("load2", slots, ds01.events.Actor.user("load2"), "not theirs")).isZero();
        assertThat(allocator.release("load1", slots, ds01.events.Actor.user("load1"), "retired")).isEqualTo(2);
        assertThat(allocator.live(Optional.of("load1"))).isEmpty();
        assertThat(allocator.allocate(new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty()),
                inventory)).isInstanceOf(AllocationResult.Granted.class);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from allocation a join portal_user u on u.id = a.owner_id "
                        + "where u.username = 'load1' and a.release_reason = 'retired'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("released rows stay as history").isEqualTo(2);
        }
    }

    @Test
    void aReservedSliceGoesToItsHolderOnly() {
        Inventory inventory = fourGpusInSevenSlices();
        for (int u = 10; u <= 23; u++) {
            allocator.allocate(new AllocationRequest("load" + u, Set.of(), null, 2, false, Optional.empty()), inventory);
        }
        assertThat(allocator.live(Optional.empty())).extracting(Allocator.Held::slotId)
                .as("13 users got 2 slices; the 14th asked for 2 of the 2 left, one of them reserved").hasSize(26)
                .doesNotContain("3.6");
        assertThat(allocator.allocate(new AllocationRequest("load1", Set.of(), null, 1, false, Optional.empty()),
                inventory)).isInstanceOf(AllocationResult.Granted.class);
        AllocationResult forOther = allocator.allocate(
                new AllocationRequest("load2", Set.of(), null, 1, false, Optional.empty()), inventory);
        assertThat(forOther).as("the last free slice is reserved for someone else")
                .isInstanceOf(AllocationResult.NoFreeSlot.class);
        AllocationResult granted = allocator.allocate(
                new AllocationRequest("load9", Set.of(), null, 1, false, Optional.empty()), inventory);
        assertThat(granted).isInstanceOf(AllocationResult.Granted.class);
        assertThat(((AllocationResult.Granted) granted).slots()).extracting(Slot::id).containsExactly("3.6");
    }

    @Test
    void aNamedSlotIsGrantedWhenFreeAndWaitsWhenHeld() {
        Inventory inventory = fourGpusInSevenSlices();
        AllocationResult mine = allocator.allocate(new AllocationRequest("load1", Set.of(), null, 1, false,
                Optional.empty(), Optional.of("2.4")), inventory);
        assertThat(((AllocationResult.Granted) mine).slots()).extracting(Slot::id).containsExactly("2.4");
        assertThat(allocator.allocate(new AllocationRequest("load2", Set.of(), null, 1, false, Optional.empty(),
                Optional.of("2.4")), inventory)).isInstanceOf(AllocationResult.NoFreeSlot.class);
        assertThat(allocator.allocate(new AllocationRequest("load9", Set.of(), null, 1, false, Optional.empty(),
                Optional.of("3.6")), inventory)).as("the holder of a reservation may name it")
                .isInstanceOf(AllocationResult.Granted.class);
    }
}
