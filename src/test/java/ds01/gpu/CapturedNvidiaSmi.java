package ds01.gpu;

import ds01.process.Command;
import ds01.process.HostProcessRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        super(null, new HostProcessRunner());
        this.machine = machine;
    }

    public void underLoad(boolean busy) {
        underLoad = busy;
    }

    /** The machine's inventory as the portal would read it from {@code nvidia-smi -L}. */
    public Inventory inventory() {
        Output list = run("-L");
        if (!list.succeeded()) {
            throw new IllegalStateException("the stand-in has no -L for " + machine + ": " + list.firstWords());
        }
        return Inventory.of(Optional.empty(), Optional.of(MigListing.parse(list.stdout())));
    }

    @Override
    public String command() {
        return STAND_IN.toString();
    }

    @Override
    protected Command command(List<String> arguments) {
        List<String> argv = new ArrayList<>(List.of(STAND_IN.toString()));
        argv.addAll(arguments);
        return Command.of(Duration.ofSeconds(30), argv).named("nvidia-smi")
                .withEnvironment("DS01_FAKE_GPU_MACHINE", machine)
                .withEnvironment("DS01_FAKE_GPU_LOAD", underLoad ? "load" : "idle");
    }
}
