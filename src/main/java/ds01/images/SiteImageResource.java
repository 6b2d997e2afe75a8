package ds01.images;

import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.identity.AccessPolicy;
import ds01.identity.SignedIn;
import ds01.web.Flash;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The admins' page of base images: the catalogue file's rows (which of them this machine offers), and the site
 * images they approve here for step 1 of the image form and for deploys, each approval and withdrawal audited.
 */
@Path("/admin/images")
@Produces(MediaType.TEXT_HTML)
public class SiteImageResource {

    /** The file's rows and whether this machine offers each, the site images, and the architecture in use. */
    public record Overview(String file, Optional<String> architecture, List<CatalogueEntry> fileRows,
            List<CatalogueEntry> offered, List<SiteBaseImage> siteImages) {

        public boolean offeredHere(CatalogueEntry row) {
            return offered.contains(row);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance siteImages(Overview overview);
    }

    private final CatalogueService catalogue;
    private final ContainerEngine engine;
    private final AuditLog auditLog;
    private final AccessPolicy access;
    private final SignedIn signedIn;
    private final SecurityIdentity identity;

    public SiteImageResource(CatalogueService catalogue, ContainerEngine engine, AuditLog auditLog,
            AccessPolicy access, SignedIn signedIn, SecurityIdentity identity) {
        this.catalogue = catalogue;
        this.engine = engine;
        this.auditLog = auditLog;
        this.access = access;
        this.signedIn = signedIn;
        this.identity = identity;
    }

    @GET
    public TemplateInstance page() {
        access.requireAdmin(identity, "The base images page");
        Catalogue file = catalogue.file();
        return Templates.siteImages(new Overview(file.file().toString(), catalogue.architecture(), file.entries(),
                catalogue.offered(), QuarkusTransaction.requiringNew().call(SiteBaseImage::all)));
    }

    /** Approves a base image; every part is checked as a catalogue row is, since it ends up in Dockerfiles. */
    @POST
    public Response add(@FormParam("framework") String framework, @FormParam("version") String version,
            @FormParam("image") String image, @FormParam("note") String note) {
        access.requireAdmin(identity, "Approving base images");
        CatalogueEntry row;
        try {
            row = new CatalogueEntry(strip(framework), strip(version), List.of(CatalogueEntry.SITE), strip(image),
                    List.of(), null, strip(note).isEmpty() ? null : strip(note));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Not a base image: " + e.getMessage() + ". A name (a letter, then letters, "
                    + "digits, space, _ or -), a version (letters, digits, . _ + -), an image reference in lower case "
                    + "(e.g. registry.lab.example/cuda-python:12.6) and one line on what it contains.");
        }
        if (row.note() == null) {
            throw new BadRequestException("Say in one line what the image contains (e.g. \"CUDA 12.6, Python 3.11, "
                    + "the lab's data tools\"): students choose by it.");
        }
        // asked first: with the engine down this fails (503) before anything is approved
        boolean pulled = engine.imageExists(row.image());
        boolean added = QuarkusTransaction.requiringNew().call(() -> {
            if (SiteBaseImage.withImage(row.image()).isPresent()) {
                return false;
            }
            SiteBaseImage site = new SiteBaseImage();
            site.framework = row.framework();
            site.version = row.version();
            site.image = row.image();
            site.note = row.note();
            site.addedBy = signedIn.name();
            site.persist();
            auditLog.record(Actor.user(signedIn.name()), "image.site-base-add", row.image(), row.framework() + " "
                    + row.version() + ": " + row.note());
            return true;
        });
        if (!added) {
            return Flash.redirect(URI.create("/admin/images"), "warning", row.image() + " is approved already.");
        }
        return Flash.redirect(URI.create("/admin/images"), "success", row.image() + " is offered in step 1 of the image "
                + "form." + (pulled ? "" : " The engine does not have it yet: the first build "
                + "on it pulls it, or pull it now so that the first build does not wait."));
    }

    @POST
    @Path("{id}/remove")
    public Response remove(@PathParam("id") long id) {
        access.requireAdmin(identity, "Withdrawing base images");
        String image = QuarkusTransaction.requiringNew().call(() -> {
            SiteBaseImage site = SiteBaseImage.<SiteBaseImage>findByIdOptional(id)
                    .orElseThrow(() -> new NotFoundException("There is no site base image " + id + "."));
            site.delete();
            auditLog.record(Actor.user(signedIn.name()), "image.site-base-remove", site.image, "withdrawn");
            return site.image;
        });
        return Flash.redirect(URI.create("/admin/images"), "success", image + " is no longer offered. Images built on "
                + "it keep working; they cannot be rebuilt from the form until it is approved again.");
    }

    private static String strip(String text) {
        return text == null ? "" : text.strip();
    }
}
