package ds01.gpu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the portal reaches the GPU inventory tool, and how long GPU requests may wait. */
@ConfigMapping(prefix = "ds01.gpu")
public interface GpuConfig {

    /** Path or name of nvidia-smi ({@code DS01_NVIDIA_SMI}); tests point it at testing/bin/nvidia-smi. */
    @WithDefault("nvidia-smi")
    String nvidiaSmi();

    /**
     * How long one nvidia-smi call may take, its output included, before the portal kills it and reports "nvidia-smi
     * did not answer within ..." ({@code DS01_NVIDIA_SMI_TIMEOUT}). A GPU that fell off the bus can hang the tool.
     */
    @WithDefault("10s")
    Duration nvidiaSmiTimeout();

    /**
     * How often nvidia-smi is read for the inventory ({@code DS01_GPU_REFRESH}): an interval such as {@code 30s},
     * or {@code off}. A string, not a duration, because the scheduler reads it and knows {@code off}.
     */
    @WithDefault("30s")
    String refresh();

    /** How often the queue is served, waits expire and ended holds release ({@code DS01_GPU_SWEEP}): {@code 30s} or {@code off}. */
    @WithDefault("30s")
    String sweep();

    /** How long a request may wait in the queue for a free slot before it expires ({@code DS01_GPU_QUEUE_WAIT}). */
    @WithDefault("4h")
    Duration queueWait();
}
