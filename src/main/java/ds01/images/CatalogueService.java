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

    /** The architecture tag: the configured one, else the driver's (see {@link Catalogue#architectureFor}). */
    public String architecture() {
        return config.architecture().filter(a -> !a.isBlank()).orElseGet(() -> Catalogue.architectureFor(
                inventory.current().report().map(GpuReport::driverVersion).orElse("unknown")));
    }

    public List<CatalogueEntry> offered() {
        return Catalogue.read(Path.of(config.catalogue())).forArchitecture(architecture());
    }

    /** The offered row with this image, or empty when the user named one the catalogue does not offer here. */
    public Optional<CatalogueEntry> find(String image) {
        return offered().stream().filter(e -> e.image().equals(image)).findFirst();
    }
}
