package ds01.containers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ds01_containers{state}} at {@code /q/metrics}: the portal's containers not retired, by state (queued,
 * creating, created, running, stopped, failed, missing), every state present even at 0 so graphs do not break off. Read
 * every {@code ds01.metrics.refresh} (15 s), not on each scrape.
 */
@Startup
@ApplicationScoped
public class ContainerMetrics {

    /** Every state but retired, which closed records keep as history. */
    public static final List<String> STATES = Arrays.stream(ContainerState.values()).filter(s -> s != ContainerState.retired)
            .map(ContainerState::name).toList();

    private final MultiGauge byState;

    public ContainerMetrics(MeterRegistry registry) {
        this.byState = MultiGauge.builder("ds01.containers").description("Containers not retired, by state")
                .register(registry);
    }

    // the first reading waits one interval: a job that fires as the scheduler starts would still be in a transaction
    // when a refused start shuts the portal down, and its stack trace would bury the refusal's two lines
    @Scheduled(identity = "container-metrics", every = "${ds01.metrics.refresh:15s}", delayed = "${ds01.metrics.refresh:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(s -> counts.put(s, 0L));
        counts.putAll(QuarkusTransaction.requiringNew().call(ContainerRecord::liveCountsByState));
        List<MultiGauge.Row<?>> gauges = new ArrayList<>();
        counts.forEach((state, n) -> gauges.add(MultiGauge.Row.of(Tags.of("state", state), n)));
        byState.register(gauges, true);
    }
}
