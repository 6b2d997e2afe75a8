package ds01.gpu;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The portal reading the GPU stand-in (the H100 in MIG slices) through a wrapper that passes it
 * {@code DS01_FAKE_GPU_HANG}: while {@link #HANG} exists, nvidia-smi prints half its answer and hangs with its output
 * open. nvidia-smi is given {@link #TIMEOUT_SECONDS} (the portal's default is 10 s) and the inventory is read only
 * when the test asks.
 */
public class HungNvidiaSmiProfile implements QuarkusTestProfile {

    static final int TIMEOUT_SECONDS = 4;
    /** One per JVM, the same in every class loader that computes it. */
    static final Path DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"),
            "ds01-hung-nvidia-smi-" + ProcessHandle.current().pid());
    static final Path HANG = DIRECTORY.resolve("hang");

    @Override
    public Map<String, String> getConfigOverrides() {
        Path standIn = Path.of(System.getenv().getOrDefault("DS01_NVIDIA_SMI", "testing/bin/nvidia-smi"))
                .toAbsolutePath();
        Path wrapper = DIRECTORY.resolve("nvidia-smi");
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(wrapper, "#!/bin/sh\nexport DS01_FAKE_GPU_MACHINE=h100-mig-mixed DS01_FAKE_GPU_HANG='"
                    + HANG + "'\nexec '" + standIn + "' \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the nvidia-smi wrapper in " + DIRECTORY, e);
        }
        return Map.of("ds01.gpu.nvidia-smi", wrapper.toString(),
                "ds01.gpu.nvidia-smi-timeout", TIMEOUT_SECONDS + "s",
                "ds01.gpu.refresh", "off");
    }
}
