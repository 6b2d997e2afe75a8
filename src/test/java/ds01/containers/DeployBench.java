package ds01.containers;

import com.github.dockerjava.api.DockerClient;
import ds01.engine.ContainerEngine;
import ds01.engine.ContainerSpec;
import ds01.events.Actor;
import ds01.gpu.Inventory;
import ds01.gpu.Slot;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.projects.Workspaces;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimits;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deploy-to-running through the portal (checks, record, GPU grant, workspace, create, start, audit) against the
 * same create+start straight on the engine, with the same spec and one MIG slice each: medians of 20 runs, and
 * their ratio. Run by testing/bench/deploy.sh (the name does not end in Test); it prints, it does not judge.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimits.class)
class DeployBench {

    private static final int RUNS = 20;

    @Inject
    DeployFlow deploys;

    @Inject
    ContainerActions actions;

    @Inject
    ContainerEngine engine;

    @Inject
    Workspaces workspaces;

    @Inject
    HostAccounts accounts;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void measure() throws Exception {
        Inventory h100 = TestMachine.h100();
        HostAccount alice = accounts.find("ds01alice").orElseThrow();
        Slot slice = h100.slots().get(0);
        Path workspace = workspaces.ensure(alice, "bench");
        List<Long> portal = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        DockerClient docker = TestMachine.engine();
        for (int run = -3; run < RUNS; run++) {
            long started = System.nanoTime();
            Outcome outcome = deploys.deploy(new DeployFlow.DeployRequest(alice, "bench",
                    "ds01-test/base:latest", new DeployFlow.GpuChoice(1, false, Optional.empty()), "api"));
            long portalNanos = System.nanoTime() - started;
            if (outcome.result() != Outcome.Result.running) {
                throw new AssertionError(outcome.message());
            }
            actions.retire(outcome.containerId(), Actor.user("ds01alice"));

            ContainerSpec spec = new ContainerSpec("benchdirect._.2001", "ds01alice", 2001, 2001, "benchdirect",
                    "ds01-test/base:latest", workspace, Optional.empty(), Optional.empty(), List.of(), List.of(),
                    Map.of(slice.id(), slice.uuid()), Optional.of(1.5), Optional.of(256L << 20),
                    Optional.of(256L << 20), Optional.of(64L << 20), Optional.of(256L), Optional.empty(), "api");
            started = System.nanoTime();
            String id = engine.create(spec);
            engine.start(id);
            long directNanos = System.nanoTime() - started;
            docker.removeContainerCmd(id).withForce(true).exec();
            if (run >= 0) {
                portal.add(portalNanos);
                direct.add(directNanos);
            }
        }
        double portalMs = median(portal) / 1e6;
        double directMs = median(direct) / 1e6;
        System.out.println(String.format(Locale.ROOT, "BENCH deploy runs=%d portal_median=%.1fms direct_median=%.1fms "
                + "ratio=%.3f overhead=%.1f%%", RUNS, portalMs, directMs, portalMs / directMs,
                (portalMs / directMs - 1) * 100));
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
