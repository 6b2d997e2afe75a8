package ds01.launcher;

import ds01.identity.SignedIn;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/**
 * The launcher: a card per project with its image and container and the actions that fit their states, kept
 * live by htmx; "Open Jupyter" starts it in the container, waits until it answers, then sends the browser there.
 */
@Path("/launcher")
@Produces(MediaType.TEXT_HTML)
public class LauncherResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance launcher(List<Launcher.Card> cards);

        static native TemplateInstance launcher$cards(List<Launcher.Card> cards);
    }

    private final Launcher launcher;
    private final JupyterServers jupyter;
    private final SignedIn signedIn;

    public LauncherResource(Launcher launcher, JupyterServers jupyter, SignedIn signedIn) {
        this.launcher = launcher;
        this.jupyter = jupyter;
        this.signedIn = signedIn;
    }

    @GET
    public TemplateInstance page() {
        return Templates.launcher(launcher.cards(signedIn.account()));
    }

    /** The cards alone, for htmx to swap in every few seconds. */
    @GET
    @Path("cards")
    public TemplateInstance cards() {
        return Templates.launcher$cards(launcher.cards(signedIn.account()));
    }

    @POST
    @Path("containers/{id}/jupyter")
    public Response openJupyter(@PathParam("id") long id) {
        try {
            return Response.seeOther(URI.create(jupyter.open(signedIn.account(), id))).build();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != 409) {
                throw e;
            }
            return Flash.redirect(URI.create("/launcher"), "warning", e.getMessage());
        }
    }
}
