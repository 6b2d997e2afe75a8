package ds01.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code nvidia-smi -L}: each GPU with its UUID and, in MIG mode, its MIG devices with profile
 * and UUID. Older drivers' XML leaves MIG UUIDs out, so this listing is where they come from.
 */
public record MigListing(List<ListedGpu> gpus) {

    public record ListedGpu(int index, String name, String uuid, List<ListedMigDevice> migDevices) {
    }

    public record ListedMigDevice(int device, String profile, String uuid) {
    }

    private static final Pattern GPU = Pattern.compile("^GPU (\\d+): (.+) \\(UUID: (GPU-[^)]+)\\)\\s*$");
    private static final Pattern MIG = Pattern.compile(
            "^\\s+MIG (\\d+g\\.\\d+gb(?:\\+me)?)\\s+Device\\s+(\\d+): \\(UUID: (MIG-[^)]+)\\)\\s*$");

    /** @throws IllegalArgumentException for a line that is neither a GPU nor a MIG device line */
    public static MigListing parse(String output) {
        List<ListedGpu> gpus = new ArrayList<>();
        List<ListedMigDevice> current = null;
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher gpu = GPU.matcher(line);
            Matcher mig = MIG.matcher(line);
            if (gpu.matches()) {
                current = new ArrayList<>();
                gpus.add(new ListedGpu(Integer.parseInt(gpu.group(1)), gpu.group(2).strip(), gpu.group(3), current));
            } else if (mig.matches() && current != null) {
                current.add(new ListedMigDevice(Integer.parseInt(mig.group(2)), mig.group(1), mig.group(3)));
            } else {
                throw new IllegalArgumentException("nvidia-smi -L printed a line the portal does not understand: \""
                        + line.strip() + "\"");
            }
        }
        return new MigListing(gpus.stream().map(g -> new ListedGpu(g.index(), g.name(), g.uuid(),
                List.copyOf(g.migDevices()))).toList());
    }
}
