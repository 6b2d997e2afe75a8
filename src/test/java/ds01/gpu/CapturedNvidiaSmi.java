package ds01.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The portal's nvidia-smi for a test that needs a GPU to go from idle to busy and back: the stand-in
 * (testing/bin/nvidia-smi) playing one captured machine, printing its real idle or load capture as the test
 * switches. Install with {@code QuarkusMock.installMockForType(..., NvidiaSmi.class)}.
 */
public class CapturedNvidiaSmi extends NvidiaSmi {

    static final Path STAND_IN = Path.of(System.getenv().getOrDefault("DS01_NVIDIA_SMI", "testing/bin/nvidia-smi"));

    private final String machine;
    private volatile boolean underLoad;

    public CapturedNvidiaSmi(String machine) {
        super(null);
        this.machine = machine;
    }

    public void underLoad(boolean busy) {
        underLoad = busy;
    }

    /** The machine's inventory as the portal would read it from {@code nvidia-smi -L}. */
    public Inventory inventory() {
        Output list = run("-L");
        if (!list.succeeded()) {
            throw new IllegalStateException("the stand-in has no -L for " + machine + ": " + list.stdout());
        }
        return Inventory.of(Optional.empty(), Optional.of(MigListing.parse(list.stdout())));
    }

    @Override
    public String command() {
        return STAND_IN.toString();
    }

    @Override
    public Output run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(STAND_IN.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DS01_FAKE_GPU_MACHINE", machine);
        builder.environment().put("DS01_FAKE_GPU_LOAD", underLoad ? "load" : "idle");
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the nvidia-smi stand-in did not finish");
            }
            return new Output(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
