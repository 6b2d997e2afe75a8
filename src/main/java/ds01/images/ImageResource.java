package ds01.images;

import ds01.projects.ProjectName;
import ds01.web.Flash;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.SignedIn;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The image pages: the user's images, the four-step form (one page, each step a section the user can go back
 * to), the review of every package and the Dockerfile before building, and a build's live log.
 */
@Path("/images")
@Produces(MediaType.TEXT_HTML)
public class ImageResource {

    /** The form as sent: what each step chose, kept as typed so the form can be shown again with it. */
    public static class Form {
        @FormParam("name") public String name = "";
        @FormParam("project") public String project = "";
        @FormParam("base") public String base = "";
        @FormParam("jupyter") public String jupyter = "default";
        @FormParam("jupyterPackages") public String jupyterPackages = "";
        @FormParam("dataScience") public String dataScience = "default";
        @FormParam("dataSciencePackages") public String dataSciencePackages = "";
        @FormParam("useCase") public String useCase = "custom";
        @FormParam("extra") public String extra = "";
        @FormParam("requirements") public String requirements = "";
        @FormParam("apt") public String apt = "";
        /** A requirements.txt chosen in the form's file field; read into {@link #requirements} at the review. */
        @org.jboss.resteasy.reactive.RestForm("requirementsFile") public org.jboss.resteasy.reactive.multipart.FileUpload requirementsFile;

        /** An uploaded requirements.txt replaces what was pasted; an empty file field changes nothing. */
        void takeUpload() {
            if (requirementsFile == null || requirementsFile.fileName() == null || requirementsFile.fileName().isEmpty()) {
                return;
            }
            requirements = Requirements.readUpload(requirementsFile.uploadedFile(), requirementsFile.fileName());
        }

        ImageApi.ImageRequest request() {
            return new ImageApi.ImageRequest(strip(name), strip(project), strip(base), step(jupyter, jupyterPackages),
                    step(dataScience, dataSciencePackages), strip(useCase), lines(extra), requirements, lines(apt));
        }

        /** default: null (the default set); skip: none; custom: the listed packages. */
        private static List<String> step(String choice, String custom) {
            return switch (choice == null ? "default" : choice) {
                case "default" -> null;
                case "skip" -> List.of();
                case "custom" -> lines(custom);
                default -> throw new BadRequestException("\"" + PipPackage.printable(choice) + "\" is not default, skip "
                        + "or custom.");
            };
        }

        static List<String> lines(String text) {
            return text == null ? List.of() : Arrays.stream(text.split("[\\r\\n,]+")).map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        }

        private static String strip(String text) {
            return text == null ? "" : text.strip();
        }
    }

    public record Review(ImageRecipe recipe, String reference, String dockerfile) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance images(List<ImageApi.ImageView> images, List<CatalogueEntry> catalogue);

        static native TemplateInstance form(Form form, List<Catalogue.Family> families, List<UseCase> useCases,
                String error);

        static native TemplateInstance review(Form form, Review review);

        static native TemplateInstance build(Builds.Job job);

        static native TemplateInstance update(ImageApi.ImageView image, List<ImageRecipe.Layer> layers, String add,
                String error);
    }

    private final Recipes recipes;
    private final ImageApi api;
    private final Builds builds;
    private final CatalogueService catalogue;
    private final AccessPolicy access;
    private final SignedIn signedIn;
    private final SecurityIdentity identity;

    public ImageResource(Recipes recipes, ImageApi api, Builds builds, CatalogueService catalogue,
            AccessPolicy access, SignedIn signedIn, SecurityIdentity identity) {
        this.recipes = recipes;
        this.api = api;
        this.builds = builds;
        this.catalogue = catalogue;
        this.access = access;
        this.signedIn = signedIn;
        this.identity = identity;
    }

    @GET
    public TemplateInstance images() {
        return Templates.images(api.list(), catalogue.offered());
    }

    /** Deletes an image from the list's form; one a container uses needs the confirm box ticked. */
    @POST
    @Path("{name}/delete")
    public Response delete(@PathParam("name") String name, @FormParam("confirm") String confirm) {
        try {
            api.delete(name, "on".equals(confirm));
        } catch (jakarta.ws.rs.WebApplicationException e) {
            if (e.getResponse().getStatus() != 409) {
                throw e;
            }
            return Flash.redirect(URI.create("/images"), "warning", e.getMessage());
        }
        return Flash.redirect(URI.create("/images"), "success", "Image " + name + " is deleted; its Dockerfile "
                + "stays in your workspace.");
    }

    /** The image's packages by step, to tick off for removal, and a box for more. */
    @GET
    @Path("{name}/update")
    public TemplateInstance updatePage(@PathParam("name") String name) {
        return updateForm(name, "", null);
    }

    /** Adds and removes packages and rebuilds; the build page then says which containers keep the old image. */
    @POST
    @Path("{name}/update")
    public Response update(@PathParam("name") String name, @FormParam("add") String add,
            @FormParam("remove") List<String> remove) {
        try {
            Response started = api.update(name, new ImageApi.UpdateRequest(Form.lines(add), remove == null ? List.of()
                    : remove));
            ImageApi.UpdateStarted body = (ImageApi.UpdateStarted) started.getEntity();
            return Flash.redirect(URI.create("/images/builds/" + body.build().id()), "info", body.message());
        } catch (BadRequestException e) {
            return Response.status(400).entity(updateForm(name, add, e.getMessage())).build();
        }
    }

    private TemplateInstance updateForm(String name, String add, String error) {
        ImageApi.ImageView image = api.list().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new jakarta.ws.rs.NotFoundException("You have no image " + name + "."));
        return Templates.update(image, api.layers(name), add == null ? "" : add, error);
    }

    @GET
    @Path("new")
    public TemplateInstance newImage(@jakarta.ws.rs.QueryParam("project") String project) {
        Form form = new Form();
        // from "new project": the project chosen, and its name as a first guess at the image's
        if (project != null && ProjectName.isValid(project)) {
            form.project = project;
            form.name = project;
        }
        return form(form, null);
    }

    /** Every package, merged, and the Dockerfile, before anything is built; a refusal shows the form again. */
    @POST
    @Path("review")
    public Response review(@BeanParam Form form) {
        try {
            form.takeUpload();
            ImageRecipe recipe = recipes.from(form.request());
            HostAccount account = account();
            return Response.ok(Templates.review(form, new Review(recipe, recipe.reference(account.uid()),
                    DockerfileGenerator.generate(recipe, account, OffsetDateTime.now())))).build();
        } catch (jakarta.ws.rs.WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status != 400 && status != 413) {
                throw e;
            }
            return Response.status(status).entity(form(form, e.getMessage())).build();
        }
    }

    /** Back from the review to the form, with everything as it was. */
    @POST
    @Path("edit")
    public TemplateInstance edit(@BeanParam Form form) {
        return form(form, null);
    }

    private TemplateInstance form(Form form, String error) {
        return Templates.form(form, Catalogue.families(catalogue.offered()), List.of(UseCase.values()), error);
    }

    @POST
    @Path("build")
    public Response build(@BeanParam Form form) {
        Builds.Job job = builds.start(account(), recipes.from(form.request()));
        return Response.seeOther(URI.create("/images/builds/" + job.id)).build();
    }

    @GET
    @Path("builds/{id}")
    public TemplateInstance buildPage(@PathParam("id") String id) {
        return Templates.build(job(id));
    }

    @POST
    @Path("builds/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        job(id);
        builds.cancel(id, access.isAdmin(identity) ? Optional.empty() : Optional.of(me()));
        return Response.seeOther(URI.create("/images/builds/" + id)).build();
    }

    private Builds.Job job(String id) {
        return api.job(id);
    }

    private HostAccount account() {
        return signedIn.account();
    }

    private String me() {
        return signedIn.name();
    }
}
