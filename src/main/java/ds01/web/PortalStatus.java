package ds01.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What every page says about the portal's outside systems: the same readiness checks {@code /q/health}
 * reports (database, Docker engine, GPU inventory tool), cached briefly so that pages stay fast.
 */
@ApplicationScoped
@Named("portalStatus")
public class PortalStatus {

    private static final Duration CACHE_FOR = Duration.ofSeconds(10);
    private static final Map<String, String> TITLES = Map.of(
            "Database connections health check", "Database",
            "docker-engine", "Docker engine",
            "gpu-inventory", "GPU inventory (nvidia-smi)");

    private final Instance<HealthCheck> readinessChecks;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public PortalStatus(@Readiness @Any Instance<HealthCheck> readinessChecks) {
        this.readinessChecks = readinessChecks;
        this.clock = Clock.systemUTC();
    }

    public record Check(String name, String title, boolean up, String summary) {
    }

    private record Snapshot(Instant takenAt, List<Check> checks) {
    }

    public List<Check> checks() {
        Snapshot current = snapshot;
        if (current == null || current.takenAt().plus(CACHE_FOR).isBefore(clock.instant())) {
            current = new Snapshot(clock.instant(), runChecks());
            snapshot = current;
        }
        return current.checks();
    }

    /** Re-run the checks on the next request, e.g. after an admin fixed the engine. */
    public void refresh() {
        snapshot = null;
    }

    /** Used as {@code inject:portalStatus.degraded} in the layout. */
    public boolean getDegraded() {
        return checks().stream().anyMatch(check -> !check.up());
    }

    public List<String> getProblems() {
        return checks().stream().filter(check -> !check.up())
                .map(check -> check.title() + ": " + check.summary()).toList();
    }

    private List<Check> runChecks() {
        List<Check> checks = new ArrayList<>();
        for (HealthCheck check : readinessChecks) {
            checks.add(toCheck(check));
        }
        checks.sort(Comparator.comparing(Check::title));
        return List.copyOf(checks);
    }

    private static Check toCheck(HealthCheck check) {
        HealthCheckResponse response;
        try {
            response = check.call();
        } catch (RuntimeException e) {
            // a check that throws is a part that is down; say which and why rather than failing the page
            return new Check(check.getClass().getSimpleName(), check.getClass().getSimpleName(), false,
                    "check failed: " + e.getMessage());
        }
        String name = response.getName();
        boolean up = response.getStatus() == HealthCheckResponse.Status.UP;
        String summary = response.getData()
                .map(data -> data.getOrDefault(up ? "summary" : "problem", data.getOrDefault("summary", "")))
                .map(Object::toString)
                .filter(text -> !text.isBlank())
                .orElse(up ? "answering" : describeDown(response));
        return new Check(name, TITLES.getOrDefault(name, name), up, summary);
    }

    private static String describeDown(HealthCheckResponse response) {
        return response.getData().map(Object::toString).orElse("not answering");
    }
}
