package ds01.gpu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the portal reaches the GPU inventory tool. */
@ConfigMapping(prefix = "ds01.gpu")
public interface GpuConfig {

    /** Path or name of nvidia-smi ({@code DS01_NVIDIA_SMI}); tests point it at testing/bin/nvidia-smi. */
    @WithDefault("nvidia-smi")
    String nvidiaSmi();

    /** How long one nvidia-smi call may take before the portal gives up on it. */
    @WithDefault("10s")
    Duration commandTimeout();
}
