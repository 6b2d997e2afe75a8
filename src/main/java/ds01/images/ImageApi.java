package ds01.images;

import ds01.identity.PortalUsers;
import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.SignedIn;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images as JSON: the catalogue, a build from the four steps' choices, its live log (server-sent events), cancel,
 * the user's images, delete. The web form sends the same choices.
 */
@Path("/api/images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Images", description = "Build images from the four-step recipe, follow their logs, list and delete them")
public class ImageApi {

    /**
     * The four steps: {@code base} from the catalogue; {@code jupyter} and {@code dataScience} null for the default
     * set, [] to skip, or a list; {@code useCase} a preset id (ml, cv, nlp, rl, audio, ts, llm, custom) plus
     * {@code extra} packages, or {@code requirements} (a requirements.txt) instead of the presets; {@code apt}.
     */
    public record ImageRequest(String name, String project, String base, List<String> jupyter, List<String> dataScience,
            String useCase, List<String> extra, String requirements, List<String> apt) {
    }

    public record BuildView(String id, String reference, String state, int step, int steps, String message,
            String dockerfile) {

        static BuildView of(Builds.Job job) {
            return new BuildView(job.id, job.reference, job.state(), job.step(), job.steps(), job.message(), job.dockerfile);
        }
    }

    /** {@code sizeBytes} null when the engine has no such image (never built, or deleted there). */
    public record ImageView(String name, String project, String reference, String baseImage, String state,
            OffsetDateTime createdAt, OffsetDateTime builtAt, Long sizeBytes, List<String> packages,
            List<String> usedBy) {
    }

    /** A rebuild started by an update, and what it means for the containers running the image. */
    public record UpdateStarted(BuildView build, String message) {
    }

    /** Packages to add to the image (to its last step) and to remove from it (by name, as pip compares names). */
    public record UpdateRequest(List<String> add, List<String> remove) {
    }

    private final Builds builds;
    private final Recipes recipes;
    private final CatalogueService catalogue;
    private final ContainerEngine engine;
    private final AuditLog auditLog;
    private final AccessPolicy access;
    private final SignedIn signedIn;
    private final SecurityIdentity identity;
    private final PortalUsers users;
    private final ImageUsers imageUsers;

    public ImageApi(Builds builds, Recipes recipes, CatalogueService catalogue, ContainerEngine engine,
            AuditLog auditLog, AccessPolicy access, SignedIn signedIn, SecurityIdentity identity, PortalUsers users, ImageUsers imageUsers) {
        this.imageUsers = imageUsers;
        this.users = users;
        this.builds = builds;
        this.recipes = recipes;
        this.catalogue = catalogue;
        this.engine = engine;
        this.auditLog = auditLog;
        this.access = access;
        this.signedIn = signedIn;
        this.identity = identity;
    }

    @Operation(summary = "The base images offered on this server (the catalogue's rows for its architecture)")
    @GET
    @Path("catalogue")
    public List<CatalogueEntry> offered() {
        return catalogue.offered();
    }

    @Operation(summary = "Build an image from the four steps: 202 with the build, 400 for a bad package or name, "
            + "409 when too many builds run")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response build(ImageRequest request) {
        if (request == null) {
            throw new BadRequestException("Send the image's name, project, base and packages as JSON.");
        }
        ImageRecipe recipe = recipes.from(request);
        Builds.Job job = builds.start(account(), recipe);
        return Response.status(202).entity(BuildView.of(job)).build();
    }

    @Operation(summary = "A build: state, step N of M, the Dockerfile")
    @GET
    @Path("builds/{id}")
    public BuildView status(@PathParam("id") String id) {
        return BuildView.of(job(id));
    }

    @Operation(summary = "A build's log as it happens (server-sent events, one line each; the last starts with [ds01])")
    @GET
    @Path("builds/{id}/log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> log(@PathParam("id") String id) {
        Builds.Job job = job(id);
        return Multi.createFrom().emitter(emitter -> {
            java.util.function.Consumer<String> line = emitter::emit;
            emitter.onTermination(() -> job.unwatch(line));
            job.watch(line, emitter::complete);
        });
    }

    @Operation(summary = "Cancel a running build")
    @DELETE
    @Path("builds/{id}")
    public Response cancel(@PathParam("id") String id) {
        job(id);
        if (!builds.cancel(id, access.isAdmin(identity) ? Optional.empty() : Optional.of(me()))) {
            throw new WebApplicationException("Build " + id + " has ended already.", 409);
        }
        auditLog.record(Actor.user(me()), "image.build-cancel", id, "asked");
        return Response.noContent().build();
    }

    @Operation(summary = "Your images: size, created, base, packages, and which containers use them")
    @GET
    public List<ImageView> list() {
        List<ImageRecord> records = QuarkusTransaction.requiringNew().call(() -> ImageRecord.ownedBy(ownerId()));
        List<ImageView> views = new ArrayList<>();
        for (ImageRecord r : records) {
            List<String> packages = new ArrayList<>();
            try {
                DockerfileGenerator.readPackages(r.dockerfile).forEach(l -> l.packages().forEach(p -> packages.add(p.spec())));
            } catch (InvalidPackageException e) {
                packages.add("(" + e.getMessage() + ")");
            }
            views.add(new ImageView(r.name, r.project, r.reference, r.baseImage, r.state, r.createdAt, r.builtAt,
                    engine.imageSize(r.reference).orElse(null), packages, usersOf(r.reference)));
        }
        return views;
    }

    @Operation(summary = "Add or remove packages and rebuild: 202 with the build. Running containers keep the old "
            + "image until retired and deployed again")
    @POST
    @Path("{name}/update")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("name") String name, UpdateRequest request) {
        ImageRecord record = mine(name);
        List<String> add = request == null || request.add() == null ? List.of() : request.add();
        List<String> remove = request == null || request.remove() == null ? List.of() : request.remove();
        if (add.isEmpty() && remove.isEmpty()) {
            throw new BadRequestException("Name packages to \"add\" or \"remove\".");
        }
        List<ImageRecipe.Layer> layers;
        try {
            layers = Updates.apply(DockerfileGenerator.readPackages(record.dockerfile), add, remove);
        } catch (InvalidPackageException e) {
            throw new BadRequestException(e.getMessage());
        }
        String dockerfile = DockerfileGenerator.withPackages(record.dockerfile, layers);
        Builds.Job job = builds.rebuild(account(), record, dockerfile, "added " + add + ", removed " + remove);
        List<String> users = usersOf(record.reference);
        return Response.status(202).entity(new UpdateStarted(BuildView.of(job), users.isEmpty()
                ? "Rebuilding " + record.reference + "."
                : "Rebuilding " + record.reference + ". Running containers " + users + " keep the old image until you "
                        + "retire and deploy them again.")).build();
    }

    /** The image's packages by step, as its Dockerfile's packages section has them. */
    List<ImageRecipe.Layer> layers(String name) {
        try {
            return DockerfileGenerator.readPackages(mine(name).dockerfile);
        } catch (InvalidPackageException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private ImageRecord mine(String name) {
        if (name == null || !ImageRecipe.NAME.matcher(name).matches()) {
            throw new BadRequestException("\"" + PipPackage.printable(String.valueOf(name)) + "\" is not an image name.");
        }
        return QuarkusTransaction.requiringNew().call(() -> ImageRecord.of(ownerId(), name))
                .orElseThrow(() -> new NotFoundException("You have no image " + name + "."));
    }

    private List<String> usersOf(String reference) {
        return imageUsers.liveContainersUsing(reference);
    }

    @Operation(summary = "Delete an image; refused while a container uses it unless ?confirm=true. Its Dockerfile stays")
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @QueryParam("confirm") @DefaultValue("false") boolean confirm) {
        ImageRecord record = mine(name);
        List<String> users = usersOf(record.reference);
        if (!users.isEmpty() && !confirm) {
            throw new WebApplicationException("Containers " + users + " use " + record.reference + ". Retire them "
                    + "first, or delete with confirm=true: they keep running, but cannot be started again after a stop.",
                    409);
        }
        engine.removeImage(record.reference);
        QuarkusTransaction.requiringNew().run(() -> {
            ImageRecord.forget(record.id);
            auditLog.record(Actor.user(me()), "image.delete", record.reference, "its Dockerfile stays in ~/workspace/"
                    + record.project);
        });
        return Response.noContent().build();
    }

    /** A build the caller may see: their own, or any for an admin; anyone else's is "not found". */
    Builds.Job job(String id) {
        Builds.Job job = builds.find(id).orElseThrow(() -> new NotFoundException("There is no build " + id + "."));
        if (!access.mayActFor(identity, job.owner)) {
            throw new NotFoundException("There is no build " + id + ".");
        }
        return job;
    }

    /** The caller's portal_user id; -1 (owning nothing) before their first sign-in wrote the row. */
    private long ownerId() {
        return users.idOf(me()).orElse(-1);
    }

    private HostAccount account() {
        return signedIn.account();
    }

    private String me() {
        return signedIn.name();
    }
}
