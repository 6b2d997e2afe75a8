package ds01.images;

import ds01.gpu.GpuReport;
import ds01.gpu.InventoryService;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The catalogue rows this server's users may build on: the file's rows for this machine's architecture. */
@ApplicationScoped
public class CatalogueService {

    private final ImagesConfig config;
    private final InventoryService inventory;

    public CatalogueService(ImagesConfig config, InventoryService inventory) {
        this.config = config;
        this.inventory = inventory;
    }

    /**
     * The architecture tag: the configured one, else the driver's (see {@link Catalogue#architectureFor}); empty
     * when neither is known (nvidia-smi not read, e.g. a server without a GPU driver).
     */
    public Optional<String> architecture() {
        return config.architecture().filter(a -> !a.isBlank()).or(() -> inventory.current().report()
                .map(GpuReport::driverVersion).filter(v -> v.matches("\\s*\\d+.*")).map(Catalogue::architectureFor));
    }

    /** The rows for this server's architecture; every row when it is not known, rather than none. */
    public List<CatalogueEntry> offered() {
        Catalogue catalogue = Catalogue.read(Path.of(config.catalogue()));
        return architecture().map(catalogue::forArchitecture).orElse(catalogue.entries());
    }

    /** The offered row with this image, or empty when the user named one the catalogue does not offer here. */
    public Optional<CatalogueEntry> find(String image) {
        return offered().stream().filter(e -> e.image().equals(image)).findFirst();
    }
}
