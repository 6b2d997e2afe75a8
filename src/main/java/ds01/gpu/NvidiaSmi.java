package ds01.gpu;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The GPU inventory tool, run as a process with fixed arguments (never a shell). The one place the portal
 * talks to nvidia-smi, so that the inventory (next issue) and the health check read the machine the same way.
 */
@ApplicationScoped
public class NvidiaSmi {

    private final GpuConfig config;

    public NvidiaSmi(GpuConfig config) {
        this.config = config;
    }

    /** What one call printed, or why it could not run. */
    public record Output(int exitCode, String stdout) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    public String command() {
        return config.nvidiaSmi();
    }

    /**
     * Runs nvidia-smi with the given arguments.
     *
     * @throws NvidiaSmiUnavailableException when the tool is missing or does not finish in time
     */
    public Output run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(config.nvidiaSmi());
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NvidiaSmiUnavailableException("cannot run " + config.nvidiaSmi() + ": " + e.getMessage()
                    + " (install the NVIDIA driver or set DS01_NVIDIA_SMI)", e);
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new NvidiaSmiUnavailableException(config.nvidiaSmi() + " did not answer within "
                        + config.commandTimeout().toSeconds() + "s", null);
            }
            return new Output(process.exitValue(), stdout);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new NvidiaSmiUnavailableException("reading " + config.nvidiaSmi() + " output failed: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NvidiaSmiUnavailableException("interrupted while waiting for " + config.nvidiaSmi(), e);
        }
    }
}
