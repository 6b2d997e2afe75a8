package ds01.images;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The base images the admins approved, as catalogue rows (they live in the database, see {@link SiteBaseImage}). */
@ApplicationScoped
public class SiteBaseImages {

    public List<CatalogueEntry> rows() {
        return QuarkusTransaction.joiningExisting().call(() -> SiteBaseImage.all().stream().map(SiteBaseImage::entry)
                .toList());
    }
}
