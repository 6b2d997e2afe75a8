package ds01.images;

import ds01.gpu.GpuReport;
import ds01.gpu.InventoryService;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The base images this server's users may build on: the catalogue file's rows for this machine's architecture,
 * its CPU-only rows, and the site images the admins approved.
 */
@ApplicationScoped
public class CatalogueService {

    private final ImagesConfig config;
    private final InventoryService inventory;
    private final SiteBaseImages siteImages;

    public CatalogueService(ImagesConfig config, InventoryService inventory, SiteBaseImages siteImages) {
        this.config = config;
        this.inventory = inventory;
        this.siteImages = siteImages;
    }

    /**
     * The architecture tag: the configured one, else the driver's (see {@link Catalogue#architectureFor}); empty
     * when neither is known (nvidia-smi not read, e.g. a server without a GPU driver).
     */
    public Optional<String> architecture() {
        return config.architecture().filter(a -> !a.isBlank()).or(() -> inventory.current().report()
                .map(GpuReport::driverVersion).filter(v -> v.matches("\\s*\\d+.*")).map(Catalogue::architectureFor));
    }

    /** The file as it is, every row, for the admin page. */
    public Catalogue file() {
        return Catalogue.read(Path.of(config.catalogue()));
    }

    /** The rows for this server's architecture (every file row when it is not known, rather than none), then site images. */
    public List<CatalogueEntry> offered() {
        Catalogue catalogue = file();
        List<CatalogueEntry> offered = new ArrayList<>(architecture().map(catalogue::forArchitecture)
                .orElse(catalogue.entries()));
        offered.addAll(siteImages.rows());
        return offered;
    }

    /**
     * The offered row a user chose: by its {@link CatalogueEntry#key() key}, or by its image (the first row with
     * it, as AIME's file has each image once); empty when this server does not offer it.
     */
    public Optional<CatalogueEntry> find(String base) {
        List<CatalogueEntry> offered = offered();
        return offered.stream().filter(e -> e.key().equals(base)).findFirst()
                .or(() -> offered.stream().filter(e -> e.image().equals(base)).findFirst());
    }
}
