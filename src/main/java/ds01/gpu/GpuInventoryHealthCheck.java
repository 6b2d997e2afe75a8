package ds01.gpu;

import jakarta.enterprise.context.ApplicationScoped;
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
            NvidiaSmi.Output output = nvidiaSmi.run("-L");
            if (!output.succeeded()) {
                return builder.down().withData("problem", "nvidia-smi -L exited with " + output.exitCode() + ": "
                        + firstLine(output.stdout())).build();
            }
            long gpus = output.stdout().lines().filter(line -> line.startsWith("GPU ")).count();
            long migDevices = output.stdout().lines().filter(line -> line.strip().startsWith("MIG ")).count();
            return builder.up().withData("gpus", gpus).withData("migDevices", migDevices)
                    .withData("summary", gpus + " GPU(s), " + migDevices + " MIG device(s)").build();
        } catch (NvidiaSmiUnavailableException e) {
            return builder.down().withData("problem", e.getMessage()).build();
        }
    }

    private static String firstLine(String text) {
        return text.lines().filter(line -> !line.isBlank()).findFirst().orElse("(no output)").strip();
    }
}
