package ds01.images;

import ds01.gpu.Inventory;
import ds01.testing.FixedInventory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which catalogue rows a server offers: its configured architecture, or every row when none is known. */
class CatalogueServiceTest {

    private static ImagesConfig config(Optional<String> architecture) {
        return new ImagesConfig() {
            @Override
            public String catalogue() {
                return "testing/fixtures/aime/ml_images.repo";
            }

            @Override
            public Optional<String> architecture() {
                return architecture;
            }

            @Override
            public int buildsPerUser() {
                return 1;
            }

            @Override
            public int builds() {
                return 2;
            }
        };
    }

    private static final FixedInventory NO_DRIVER = new FixedInventory(new Inventory(List.of(), Map.of()));
    private static final CatalogueEntry LAB_CUDA = new CatalogueEntry("Lab CUDA", "12.6", List.of(CatalogueEntry.SITE),
            "registry.lab.example/cuda-python:12.6", List.of(), null, "CUDA 12.6, Python 3.11");
    private static final SiteBaseImages ONE_SITE_IMAGE = new SiteBaseImages() {
        @Override
        public List<CatalogueEntry> rows() {
            return List.of(LAB_CUDA);
        }
    };

    @Test
    void withoutADriverVersionOrAConfiguredArchitectureEveryRowIsOffered() {
        CatalogueService service = new CatalogueService(config(Optional.empty()), NO_DRIVER, ONE_SITE_IMAGE);
        assertThat(service.architecture()).isEmpty();
        assertThat(service.offered()).hasSize(19).endsWith(LAB_CUDA);
    }

    @Test
    void aConfiguredArchitectureChoosesItsRows() {
        CatalogueService service = new CatalogueService(config(Optional.of("CUDA_AMPERE")), NO_DRIVER, ONE_SITE_IMAGE);
        assertThat(service.offered()).extracting(CatalogueEntry::image)
                .contains("aimehub/pytorch-2.7.1-cuda11.8.0", LAB_CUDA.image())
                .doesNotContain("aimehub/pytorch-2.8.0-aime-cuda12.6.3");
        assertThat(service.find("aimehub/pytorch-2.8.0-aime-cuda12.6.3")).isEmpty();
        assertThat(service.find(LAB_CUDA.key())).contains(LAB_CUDA);
        assertThat(service.find("aimehub/pytorch-2.7.1-cuda11.8.0")).map(CatalogueEntry::key)
                .contains("pytorch-2.7.1-cuda_ampere");
    }
}
