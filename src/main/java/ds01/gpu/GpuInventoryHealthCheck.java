package ds01.gpu;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the GPU inventory tool answers. Without it the portal still runs (CPU-only work, history, admin
 * pages) but cannot hand out GPUs, so it reports itself degraded rather than refusing to start.
 */
@Readiness
@ApplicationScoped
public class GpuInventoryHealthCheck implements HealthCheck {

    private final NvidiaSmi nvidiaSmi;

    public GpuInventoryHealthCheck(NvidiaSmi nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("gpu-inventory")
                .withData("command", nvidiaSmi.command());
        try {
            // a CSV query every driver generation answers the same way, unlike -L whose MIG lines vary
            NvidiaSmi.Output output = nvidiaSmi.run("--query-gpu=index,name,driver_version",
                    "--format=csv,noheader");
            if (!output.succeeded()) {
                return builder.down().withData("problem", "nvidia-smi exited with " + output.exitCode() + ": "
                        + firstLine(output.stdout())).build();
            }
            List<String> gpus = output.stdout().lines().filter(line -> !line.isBlank()).toList();
            String driver = gpus.isEmpty() ? "unknown" : lastField(gpus.get(0));
            return builder.up().withData("gpus", gpus.size()).withData("driver", driver)
                    .withData("summary", gpus.size() + " GPU(s), driver " + driver).build();
        } catch (NvidiaSmiUnavailableException e) {
            return builder.down().withData("problem", e.getMessage()).build();
        }
    }

    private static String lastField(String csvLine) {
        return csvLine.substring(csvLine.lastIndexOf(',') + 1).strip();
    }

    private static String firstLine(String text) {
        return text.lines().filter(line -> !line.isBlank()).findFirst().orElse("(no output)").strip();
    }
}
