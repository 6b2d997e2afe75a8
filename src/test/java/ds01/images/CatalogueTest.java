package ds01.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AIME's own ml_images.repo rows read as they are; the architecture from the driver as DS01 decides it. */
class CatalogueTest {

    @Test
    void aimesRealRowsAreReadWithTheirArchitectures() {
        Catalogue catalogue = Catalogue.read(Path.of("testing/fixtures/aime/ml_images.repo"));
        assertThat(catalogue.entries()).hasSize(18);
        assertThat(catalogue.entries().get(1)).isEqualTo(new CatalogueEntry("Pytorch", "2.11.0-aime",
                java.util.List.of("CUDA_BLACKWELL", "CUDA_ADA"), "aimehub/pytorch-2.11.0-aime-cuda12.9.1"));
        assertThat(catalogue.forArchitecture("CUDA_ADA")).extracting(CatalogueEntry::image)
                .contains("aimehub/pytorch-2.8.0-aime-cuda12.6.3", "aimehub/tensorflow-2.16.1-cuda12.3")
                .doesNotContain("aimehub/pytorch-2.7.1-cuda11.8.0", "aimehub/pytorch-2.8.0-aime-cuda12.8.1");
        assertThat(catalogue.forArchitecture("ROCM5")).extracting(CatalogueEntry::image)
                .containsExactly("rocm/dev-ubuntu-20.04:5.4.2-complete");
    }

    @Test
    void thePortalsOwnCatalogueOffersPyTorchTensorFlowJaxAndCpuOnlyFrameworksOnEachArchitecture() {
        Catalogue catalogue = Catalogue.read(Path.of("config/ml_images.repo"));
        assertThat(Catalogue.families(catalogue.forArchitecture("CUDA_ADA"))).extracting(Catalogue.Family::name)
                .containsExactly("PyTorch", "TensorFlow", "JAX", "JAX (CPU only)", "PyTorch (CPU only)");
        assertThat(Catalogue.families(catalogue.forArchitecture("CUDA_AMPERE"))).extracting(Catalogue.Family::name)
                .containsExactly("PyTorch", "TensorFlow", "JAX (CPU only)", "PyTorch (CPU only)");
        assertThat(Catalogue.families(catalogue.forArchitecture("ROCM5"))).as("no GPU image, still the CPU rows")
                .extracting(Catalogue.Family::name).containsExactly("JAX (CPU only)", "PyTorch (CPU only)");
        CatalogueEntry cpuTorch = catalogue.entries().stream().filter(e -> e.key().equals("pytorch-2.8.0-cpu"))
                .findFirst().orElseThrow();
        assertThat(cpuTorch.install()).extracting(PipPackage::spec).containsExactly("torch==2.8.0", "torchvision==0.23.0");
        assertThat(cpuTorch.indexUrl()).isEqualTo("https://download.pytorch.org/whl/cpu");
        assertThat(catalogue.entries().get(0).contains()).isEqualTo("PyTorch 2.8.0-aime with CUDA 12.8.1, Python and pip");
        assertThat(catalogue.entries()).extracting(CatalogueEntry::key).doesNotHaveDuplicates();
    }

    @Test
    void aFifthFieldTakesRequirementsAndOneHttpsIndexOnly(@TempDir Path dir) throws IOException {
        for (String bad : new String[] {"numpy; rm -rf /", "jax --index-url http://plain.example/simple",
                "jax --extra-index-url https://x.example", "jax --index-url https://a.example --index-url https://b.example",
                "$(id)", "jax --index-url https://x.example/$(id)"}) {
            Path file = dir.resolve("bad.repo");
            Files.writeString(file, "# notes\nJAX, 0.7.0, [CPU], python:3.12-slim-bookworm, " + bad + "\n");
            assertThatThrownBy(() -> Catalogue.read(file)).as(bad).hasMessageContaining("line 2");
        }
    }

    @Test
    void theArchitectureComesFromTheDriverVersionsOfTheCapturedMachines() {
        assertThat(Catalogue.architectureFor("590.48.01")).as("the captured H100").isEqualTo("CUDA_ADA");
        assertThat(Catalogue.architectureFor("535.104.05")).isEqualTo("CUDA_ADA");
        assertThat(Catalogue.architectureFor("470.57.02")).isEqualTo("CUDA_AMPERE");
        assertThatThrownBy(() -> Catalogue.architectureFor("unknown")).hasMessageContaining("DS01_IMAGE_ARCHITECTURE");
    }

    @Test
    void aBadRowStopsTheReadingWithTheLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ml_images.repo");
        Files.writeString(file, "# site images\nPytorch, 2.8.0, [CUDA_ADA], aimehub/pytorch-2.8.0-cuda12.6.3\n"
                + "Pytorch, 2.8.0, CUDA_ADA, aimehub/x\n");
        assertThatThrownBy(() -> Catalogue.read(file)).hasMessageContaining("line 3")
                .hasMessageContaining("framework, version, [ARCH;ARCH], image");
    }
}
