package ds01.images;

import ds01.nodes.OnNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A base image this server's admins approved for the image form, with what it contains in their words. */
@Entity
@Table(name = "site_base_image")
public class SiteBaseImage extends OnNode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;


    @Column(nullable = false, length = 41)
    public String framework;

    @Column(nullable = false, length = 40)
    public String version;

    @Column(nullable = false, length = 201)
    public String image;

    @Column(nullable = false, length = 200)
    public String note;

    @Column(name = "added_by", nullable = false, length = 64)
    public String addedBy;

    @Column(name = "added_at", nullable = false)
    public OffsetDateTime addedAt = OffsetDateTime.now();

    public static List<SiteBaseImage> all() {
        return list("order by framework, version");
    }

    public static Optional<SiteBaseImage> withImage(String image) {
        return find("image", image).firstResultOptional();
    }

    /** As a catalogue row, offered on every machine. */
    public CatalogueEntry entry() {
        return new CatalogueEntry(framework, version, List.of(CatalogueEntry.SITE), image, List.of(), null, note);
    }
}
