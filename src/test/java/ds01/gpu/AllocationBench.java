package ds01.gpu;

import ds01.testing.CleanMachine;
import ds01.testing.NoQuota;
import ds01.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocation decisions per second and their p50/p99 latency for 1, 10 and 100 concurrent requesters against the
 * built-in PostgreSQL, on 4 GPUs split into 28 MIG slices. Run by testing/bench/allocation.sh (not by the test
 * suite: the name does not end in Test); it prints its figures, it does not judge them.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(NoQuota.class)
class AllocationBench {

    @Inject
    Allocator allocator;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void measure() throws Exception {
        Inventory inventory = AllocatorConcurrencyTest.fourGpusInSevenSlices();
        TestUsers.standIns(dataSource, "bench", 100);
        run(inventory, 1, 200); // warm-up, not reported
        for (int concurrency : new int[] {1, 10, 100}) {
            report(concurrency, run(inventory, concurrency, concurrency == 1 ? 1000 : 3000));
        }
    }

    private record Figures(int decisions, long wallNanos, List<Long> latencies) {
    }

    /** Each requester asks for one slot and gives it back at once, so the machine never fills up. */
    private Figures run(Inventory inventory, int concurrency, int decisions) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger remaining = new AtomicInteger(decisions);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            String user = "bench" + (w + 1);
            workers.add(pool.submit(() -> {
                while (remaining.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    AllocationResult result = allocator.allocate(
                            new AllocationRequest(user, Set.of(), null, 1, false, Optional.empty()), inventory);
                    latencies.add(System.nanoTime() - t0);
                    if (result instanceof AllocationResult.Granted granted) {
                        release(granted.slots().get(0).id());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        return new Figures(decisions, wall, new ArrayList<>(latencies));
    }

    private void release(String slotId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "update allocation set released_at = now(), release_reason = 'bench' where slot_id = ? "
                        + "and released_at is null")) {
            p.setString(1, slotId);
            p.executeUpdate();
        }
    }

    private static void report(int concurrency, Figures f) {
        List<Long> sorted = new ArrayList<>(f.latencies());
        Collections.sort(sorted);
        double seconds = f.wallNanos() / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "BENCH allocation concurrency=%d decisions=%d seconds=%.2f rate=%.0f/s p50=%.2fms p99=%.2fms",
                concurrency, f.decisions(), seconds, f.decisions() / seconds,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6));
    }
}
