package ds01.lifecycle;

import com.github.dockerjava.api.DockerClient;
import ds01.testing.CleanMachine;
import ds01.testing.LifecycleLimitsAndMail;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One full lifecycle sweep over 200 running containers on the real engine (DS01 called docker stats once per
 * container, about a second each): the time of the first sweep (readings only) and of the next ones (rates,
 * idle clocks). Run by testing/bench/lifecycle.sh (the name does not end in Test); it prints, it does not judge.
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(LifecycleLimitsAndMail.class)
class LifecycleBench {

    static final int CONTAINERS = 200;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LifecycleSweep sweep;

    @Test
    void measure() throws Exception {
        DockerClient docker = TestMachine.engine();
        long made = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            String owner = i % 2 == 0 ? "ds01alice" : "ds01bob";
            int uid = i % 2 == 0 ? 2001 : 2002;
            String name = "bench" + i + "._." + uid;
            String id = docker.createContainerCmd("ds01-test/base:latest").withName(name).withTty(true)
                    .withLabels(Map.of("ds01.managed", "true")).exec().getId();
            docker.startContainerCmd(id).exec();
            ids.add(id);
            TestDatabase.execute(dataSource, "insert into container (node, owner_id, project, name, docker_id, "
                    + "image_reference, state, created_by, started_at) select 'testnode', id, 'bench" + i + "', '" + name + "', '"
                    + id + "', 'ds01-test/base:latest', 'running', 'api', now() from portal_user where username = '"
                    + owner + "'");
        }
        System.out.printf(Locale.ROOT, "BENCH lifecycle setup containers=%d seconds=%.1f%n", CONTAINERS,
                (System.nanoTime() - made) / 1e9);
        for (int round = 1; round <= 3; round++) {
            long t = System.nanoTime();
            LifecycleSweep.Report report = sweep.sweep(Instant.now());
            System.out.printf(Locale.ROOT, "BENCH lifecycle sweep round=%d containers=%d actions=%d seconds=%.2f%n",
                    round, report.checked(), report.actions().size(), (System.nanoTime() - t) / 1e9);
            Thread.sleep(2000);
        }
    }
}
