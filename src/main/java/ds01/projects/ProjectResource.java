package ds01.projects;

import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * "New project", then straight on to its image: DS01's {@code project-init} and {@code project-launch} as one
 * flow. A refusal shows the form again with what was typed.
 */
@Path("/projects")
@Produces(MediaType.TEXT_HTML)
public class ProjectResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance newProject(String name, String layout, boolean git, String error);
    }

    private final ProjectApi api;

    public ProjectResource(ProjectApi api) {
        this.api = api;
    }

    @GET
    @Path("new")
    public TemplateInstance form() {
        return Templates.newProject("", ProjectLayout.DATA_SCIENCE.id(), true, null);
    }

    @POST
    public Response create(@FormParam("name") String name, @FormParam("layout") String layout,
            @FormParam("git") String git) {
        try {
            Projects.Project made = api.create(name, layout, "on".equals(git));
            return Flash.redirect(URI.create("/images/new?project=" + URLEncoder.encode(made.name(),
                    StandardCharsets.UTF_8)), "success", "Project " + made.name() + " is ready in ~/workspace/"
                    + made.name() + ". Now choose what its image holds.");
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status != 400 && status != 409) {
                throw e;
            }
            return Response.status(status).entity(Templates.newProject(name == null ? "" : name,
                    layout == null ? "" : layout, "on".equals(git), e.getMessage())).build();
        }
    }
}
