package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The browser tests' portal: the container tests' limits (one GPU slot and two containers a user, so a second GPU
 * deploy is refused), the image tests' catalogue (a minimal Debian with stand-in pip), the test base image with the
 * stand-in Jupyter deployable as it is, and no GPU sweep (the tests' H100 is fixed).
 */
public class ContainerLimitsAndCatalogue implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-containers.yaml",
                "ds01.containers.base-images", "ds01-test/base:latest",
                "ds01.images.catalogue", "src/test/resources/ml_images-test.repo",
                "ds01.images.architecture", "CUDA_ADA",
                "ds01.gpu.sweep", "off");
    }
}
