package ds01.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The landing page and the human-readable status page. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(List<PortalStatus.Check> checks);

        static native TemplateInstance status(List<PortalStatus.Check> checks);
    }

    private final PortalStatus portalStatus;

    public HomeResource(PortalStatus portalStatus) {
        this.portalStatus = portalStatus;
    }

    @GET
    public TemplateInstance home() {
        return Templates.home(portalStatus.checks());
    }

    @GET
    @Path("status")
    public TemplateInstance status() {
        portalStatus.refresh();
        return Templates.status(portalStatus.checks());
    }
}
