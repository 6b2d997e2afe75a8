package ds01.images;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Where the base image catalogue is, which of its architectures apply, and how many builds may run. */
@ConfigMapping(prefix = "ds01.images")
public interface ImagesConfig {

    /** The catalogue in AIME's ml_images.repo format ({@code DS01_IMAGE_CATALOGUE}). */
    @WithDefault("config/ml_images.repo")
    String catalogue();

    /**
     * The catalogue rows to offer ({@code DS01_IMAGE_ARCHITECTURE}, e.g. {@code CUDA_ADA}); unset, it follows the
     * driver version nvidia-smi reports (535 or newer: CUDA_ADA, else CUDA_AMPERE).
     */
    Optional<String> architecture();

    /** Builds one user may run at once ({@code DS01_BUILDS_PER_USER}). */
    @WithDefault("1")
    int buildsPerUser();

    /** Builds the whole machine runs at once ({@code DS01_BUILDS}). */
    @WithDefault("2")
    int builds();
}
