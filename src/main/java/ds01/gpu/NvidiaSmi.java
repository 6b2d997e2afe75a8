package ds01.gpu;

import ds01.process.Command;
import ds01.process.ProcessFailedException;
import ds01.process.ProcessResult;
import ds01.process.ProcessRunner;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The GPU inventory tool, run as a process with fixed arguments (never a shell). The one place the portal
 * talks to nvidia-smi, so that the inventory and the health check read the machine the same way. Each call has
 * {@code ds01.gpu.nvidia-smi-timeout} ({@code DS01_NVIDIA_SMI_TIMEOUT}, 10 s): a GPU that fell off the bus can leave
 * the tool hanging with its output open, and then the call ends with "nvidia-smi did not answer within 10 s".
 */
@ApplicationScoped
public class NvidiaSmi {

    private final GpuConfig config;
    private final ProcessRunner processes;

    public NvidiaSmi(GpuConfig config, ProcessRunner processes) {
        this.config = config;
        this.processes = processes;
    }

    /** What one call printed on stdout (stderr is kept apart, so that a warning cannot spoil XML or CSV). */
    public record Output(int exitCode, String stdout, String stderr) {

        public Output(int exitCode, String stdout) {
            this(exitCode, stdout, "");
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** What the tool said about its failure: its first line of stderr, or of stdout where it writes there. */
        public String firstWords() {
            return (stderr.isBlank() ? stdout : stderr).lines().filter(line -> !line.isBlank()).findFirst()
                    .orElse("(no output)").strip();
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
        Command command = command(List.of(arguments));
        ProcessResult result;
        try {
            result = processes.run(command);
        } catch (ProcessFailedException e) {
            throw new NvidiaSmiUnavailableException(e.timedOut() ? e.getMessage()
                    : e.getMessage() + " (install the NVIDIA driver or set DS01_NVIDIA_SMI)", e);
        }
        if (result.stdoutCut()) {
            throw new NvidiaSmiUnavailableException("nvidia-smi " + String.join(" ", arguments) + " printed more than "
                    + command.outputLimit() / 1024 + " KiB, which the portal does not read", null);
        }
        return new Output(result.exitCode(), result.stdout(), result.stderr());
    }

    /** The process for one call; a test's stand-in adds the machine it plays. */
    protected Command command(List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(config.nvidiaSmi());
        argv.addAll(arguments);
        return Command.of(config.nvidiaSmiTimeout(), argv).named("nvidia-smi");
    }
}
