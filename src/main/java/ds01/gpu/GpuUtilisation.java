package ds01.gpu;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How busy each physical GPU is at this moment, as nvidia-smi's {@code utilization.gpu} reports it. Read fresh
 * for each lifecycle sweep rather than taken from the inventory, which is refreshed on its own schedule and may
 * be half a minute old. A GPU in MIG mode reports no utilisation ({@code [N/A]}), nor do its slices.
 */
@ApplicationScoped
public class GpuUtilisation {

    /**
     * Percent busy by physical GPU UUID (empty where the GPU reports none), or why nothing could be read.
     */
    public record Reading(Map<String, OptionalInt> byGpu, Optional<String> problem) {

        public static Reading unread(String problem) {
            return new Reading(Map.of(), Optional.of(problem));
        }

        public OptionalInt of(String gpuUuid) {
            return byGpu.getOrDefault(gpuUuid, OptionalInt.empty());
        }
    }

    private final NvidiaSmi nvidiaSmi;

    public GpuUtilisation(NvidiaSmi nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    public Reading read() {
        NvidiaSmi.Output output;
        try {
            output = nvidiaSmi.run("--query-gpu=uuid,utilization.gpu", "--format=csv,noheader,nounits");
        } catch (NvidiaSmiUnavailableException e) {
            return Reading.unread(e.getMessage());
        }
        if (!output.succeeded()) {
            return Reading.unread("nvidia-smi --query-gpu exited with " + output.exitCode() + ": "
                    + output.firstWords());
        }
        try {
            return new Reading(parse(output.stdout()), Optional.empty());
        } catch (IllegalArgumentException e) {
            return Reading.unread(e.getMessage());
        }
    }

    /**
     * Lines of {@code <uuid>, <percent>}; nvidia-smi writes a value it does not have in brackets
     * ({@code [N/A]}, {@code [Not Supported]}).
     *
     * @throws IllegalArgumentException on any other line: a changed output format must not read as "idle"
     */
    static Map<String, OptionalInt> parse(String csv) {
        Map<String, OptionalInt> byGpu = new LinkedHashMap<>();
        for (String line : csv.strip().lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",", -1);
            String uuid = parts[0].strip();
            String value = parts.length == 2 ? parts[1].strip() : "";
            if (parts.length != 2 || !uuid.startsWith("GPU-")) {
                throw new IllegalArgumentException("nvidia-smi --query-gpu=uuid,utilization.gpu printed a line the "
                        + "portal does not understand: \"" + line + "\"");
            }
            if (value.startsWith("[") && value.endsWith("]")) {
                byGpu.put(uuid, OptionalInt.empty());
            } else if (value.matches("\\d{1,3}")) {
                byGpu.put(uuid, OptionalInt.of(Integer.parseInt(value)));
            } else {
                throw new IllegalArgumentException("nvidia-smi reported utilisation \"" + value + "\" for " + uuid
                        + ", not a percentage");
            }
        }
        return byGpu;
    }
}
