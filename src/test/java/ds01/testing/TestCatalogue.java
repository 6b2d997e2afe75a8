package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The image tests' catalogue (ml_images-test.repo: a minimal Debian with stand-in pip) for Ada GPUs, and no GPU
 * sweep.
 */
public class TestCatalogue implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.images.catalogue", "src/test/resources/ml_images-test.repo",
                "ds01.images.architecture", "CUDA_ADA", "ds01.gpu.sweep", "off");
    }
}
