package ds01.images;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Users' image records as other features see them: the way into the {@code image} table from outside images. */
@ApplicationScoped
public class ImageRecords {

    /** How many images of this owner are built and ready to deploy. */
    public long readyOf(long ownerId) {
        return QuarkusTransaction.requiringNew().call(() -> ImageRecord.readyOf(ownerId));
    }

    /** An owner's images, by name. */
    public List<ImageRecord> ownedBy(long ownerId) {
        return QuarkusTransaction.requiringNew().call(() -> ImageRecord.ownedBy(ownerId));
    }
}
