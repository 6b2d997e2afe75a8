package ds01.gpu;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the GPU inventory tool answers. Without it the portal still runs (CPU-only work, history, admin
 * pages) but cannot hand out GPUs, so it reports itself degraded rather than refusing to start.
 *
 * <p>Every page shows this check (the degraded banner), so a hung nvidia-smi must not hold pages for its timeout:
 * the tool is asked on a thread of the check's own, one call at a time. A caller waits for that call briefly; if
 * it has not answered by then, the caller is told the previous answer (which, while the tool hangs, is "did not
 * answer within 10 s"). Only the very first call, with nothing to tell yet, waits for the answer.
 */
@Readiness
@ApplicationScoped
public class GpuInventoryHealthCheck implements HealthCheck {

    /** How long a caller waits for a fresh answer before it is given the previous one. */
    static final Duration FRESH_ANSWER_WAIT = Duration.ofSeconds(1);

    private final NvidiaSmi nvidiaSmi;
    private final ExecutorService asker = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "gpu-inventory-health");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<HealthCheckResponse> inFlight;
    private volatile HealthCheckResponse lastAnswer;

    public GpuInventoryHealthCheck(NvidiaSmi nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    @Override
    public HealthCheckResponse call() {
        CompletableFuture<HealthCheckResponse> answer = ask();
        HealthCheckResponse previous = lastAnswer;
        try {
            // with nothing to tell yet, wait for the tool; nvidia-smi's own timeout bounds the wait
            return previous == null ? answer.get()
                    : answer.get(FRESH_ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillAsking) {
            return previous;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return builder().down().withData("problem", "interrupted while waiting for nvidia-smi").build();
        } catch (ExecutionException e) {
            return builder().down().withData("problem", "the check of nvidia-smi failed: " + e.getCause()).build();
        }
    }

    private synchronized CompletableFuture<HealthCheckResponse> ask() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.supplyAsync(this::askNow, asker).whenComplete((answer, failure) -> {
                if (answer != null) {
                    lastAnswer = answer;
                }
            });
        }
        return inFlight;
    }

    private HealthCheckResponse askNow() {
        HealthCheckResponseBuilder builder = builder();
        try {
            // a CSV query every driver generation answers the same way, unlike -L whose MIG lines vary
            NvidiaSmi.Output output = nvidiaSmi.run("--query-gpu=index,name,driver_version",
                    "--format=csv,noheader");
            if (!output.succeeded()) {
                return builder.down().withData("problem", "nvidia-smi exited with " + output.exitCode() + ": "
                        + output.firstWords()).build();
            }
            List<String> gpus = output.stdout().lines().filter(line -> !line.isBlank()).toList();
            String driver = gpus.isEmpty() ? "unknown" : lastField(gpus.get(0));
            return builder.up().withData("gpus", gpus.size()).withData("driver", driver)
                    .withData("summary", gpus.size() + " GPU(s), driver " + driver).build();
        } catch (NvidiaSmiUnavailableException e) {
            return builder.down().withData("problem", e.getMessage()).build();
        }
    }

    private HealthCheckResponseBuilder builder() {
        return HealthCheckResponse.named("gpu-inventory").withData("command", nvidiaSmi.command());
    }

    @PreDestroy
    void stop() {
        asker.shutdownNow();
    }

    private static String lastField(String csvLine) {
        return csvLine.substring(csvLine.lastIndexOf(',') + 1).strip();
    }
}
