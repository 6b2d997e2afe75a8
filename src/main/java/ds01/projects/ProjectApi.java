package ds01.projects;

import ds01.identity.SignedIn;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The signed-in user's projects as JSON, and new ones. */
@Path("/api/projects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects", description = "Directories under ~/workspace, and new ones with DS01's layout")
public class ProjectApi {

    /** {@code layout}: data-science (default) or blank; {@code git}: an empty repository (default true). */
    public record NewProject(String name, String layout, Boolean git) {
    }

    public record ProjectView(String name, String path, boolean hasDockerfile) {
        static ProjectView of(Projects.Project p) {
            return new ProjectView(p.name(), p.path().toString(), p.hasDockerfile());
        }
    }

    private final Projects projects;
    private final SignedIn signedIn;

    public ProjectApi(Projects projects, SignedIn signedIn) {
        this.projects = projects;
        this.signedIn = signedIn;
    }

    @Operation(summary = "Your projects: the directories under ~/workspace with project names")
    @GET
    public List<ProjectView> list() {
        return projects.of(signedIn.account()).stream().map(ProjectView::of).toList();
    }

    @Operation(summary = "Make ~/workspace/<name>: 201; 400 for a bad name or layout; 409 when it exists")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewProject request) {
        if (request == null) {
            throw new BadRequestException("Send the project's name, and optionally its layout and git.");
        }
        return Response.status(201).entity(ProjectView.of(create(request.name(), request.layout(), request.git())))
                .build();
    }

    /** The one place the web form and the API make a project, so both check the same way. */
    Projects.Project create(String name, String layout, Boolean git) {
        ProjectLayout chosen;
        try {
            chosen = layout == null || layout.isBlank() ? ProjectLayout.DATA_SCIENCE : ProjectLayout.of(layout);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return projects.create(signedIn.account(), name == null ? "" : name.strip(), chosen, git == null || git);
    }
}
