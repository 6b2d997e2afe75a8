package ds01.containers;

import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.SignedIn;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Optional;

/**
 * Containers as JSON: list, deploy, stop, start, retire. Users act on their own; admins on all. Another user's
 * container answers 404, as one that does not exist, so ids reveal nothing.
 */
@Path("/api/containers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Containers", description = "Deploy, stop, start, restart and retire containers; workspaces always stay")
public class ContainerApi {

    /**
     * What a deploy asks for; {@code gpus} 0 (or absent) is CPU-only. Anything else in the body is refused
     * ({@code quarkus.jackson.fail-on-unknown-properties}), so a request for mounts, devices, privileges or another
     * network is told so instead of being quietly ignored.
     */
    public record DeployBody(String project, String image, Integer gpus, Boolean wholeGpu, String profile) {
    }

    private final DeployFlow deploys;
    private final ContainerActions actions;
    private final ContainerListing listing;
    private final AccessPolicy access;
    private final SignedIn signedIn;
    private final SecurityIdentity identity;
    private final ContainerEngine engine;

    public ContainerApi(DeployFlow deploys, ContainerActions actions, ContainerListing listing, AccessPolicy access,
            SignedIn signedIn, SecurityIdentity identity, ContainerEngine engine) {
        this.engine = engine;
        this.deploys = deploys;
        this.actions = actions;
        this.listing = listing;
        this.access = access;
        this.signedIn = signedIn;
        this.identity = identity;
    }

    /** The caller's containers; an admin's list holds everyone's. */
    @Operation(summary = "List your containers (an admin: everyone's)")
    @GET
    public List<ContainerListing.ContainerView> list() {
        return listing.of(access.isAdmin(identity) ? Optional.empty() : Optional.of(me()));
    }

    @Operation(summary = "One container")
    @GET
    @Path("{id}")
    public ContainerListing.ContainerView one(@PathParam("id") long id) {
        mine(id);
        return listing.one(id).orElseThrow(() -> new NoSuchContainerException(id));
    }

    @Operation(summary = "Deploy a container: 201 running, 202 waiting for a GPU, 400 bad name or image, "
            + "409 over a limit, 502 a step failed and was undone")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response deploy(DeployBody body) {
        if (body == null) {
            throw new BadRequestException("Send {\"project\": ..., \"image\": ..., \"gpus\": ...}.");
        }
        int gpus = body.gpus() == null ? 0 : body.gpus();
        if (gpus < 0 || gpus > 64) {
            throw new BadRequestException("\"gpus\" is how many GPU slots to ask for: 0 (CPU-only) to 64, not " + gpus + ".");
        }
        HostAccount account = signedIn.account();
        Outcome outcome = deploys.deploy(new DeployFlow.DeployRequest(account, body.project(),
                body.image(), new DeployFlow.GpuChoice(gpus, Boolean.TRUE.equals(body.wholeGpu()),
                        Optional.ofNullable(body.profile()).filter(p -> !p.isBlank())),
                "api"));
        int status = switch (outcome.result()) {
            case running -> 201;
            case queued -> 202;
            case refused -> outcome.steps().get(0).state() == StepState.failed ? 400 : 409;
            default -> 502;
        };
        return Response.status(status).entity(outcome).build();
    }

    @Operation(summary = "Stop a container; its GPU is held for gpu_hold_after_stop")
    @POST
    @Path("{id}/stop")
    public Outcome stop(@PathParam("id") long id) {
        mine(id);
        return actions.stop(id, Actor.user(me()));
    }

    @Operation(summary = "Restart a running container")
    @POST
    @Path("{id}/restart")
    public Response restart(@PathParam("id") long id) {
        mine(id);
        return answer(actions.restart(id, Actor.user(me())));
    }

    /** The last lines the container printed (its terminal), as plain text; {@code lines} up to 5000. */
    @Operation(summary = "The last lines the container printed")
    @GET
    @Path("{id}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public String logs(@PathParam("id") long id,
            @jakarta.ws.rs.QueryParam("lines") @jakarta.ws.rs.DefaultValue("200") int lines) {
        ContainerRecord record = mine(id);
        if (lines < 1 || lines > 5000) {
            throw new BadRequestException("\"lines\" is how many of the last lines to show: 1 to 5000.");
        }
        return record.dockerId == null ? "" : engine.logTail(record.dockerId, lines);
    }

    @Operation(summary = "Start a stopped container again (409 when its GPU hold ended)")
    @POST
    @Path("{id}/start")
    public Response start(@PathParam("id") long id) {
        mine(id);
        return answer(actions.start(id, Actor.user(me())));
    }

    /** 200 with the outcome, or 409 when the container's state does not allow it. */
    private static Response answer(Outcome outcome) {
        return Response.status(outcome.succeeded() ? 200 : 409).entity(outcome).build();
    }

    /** {@code ?deleteImage=true} deletes the user's own image too. */
    @Operation(summary = "Retire: stop, remove, release GPUs; the workspace stays")
    @DELETE
    @Path("{id}")
    public Outcome retire(@PathParam("id") long id,
            @jakarta.ws.rs.QueryParam("deleteImage") @jakarta.ws.rs.DefaultValue("false") boolean deleteImage) {
        mine(id);
        return actions.retire(id, Actor.user(me()), deleteImage);
    }

    private ContainerRecord mine(long id) {
        ContainerRecord record = actions.live(id);
        if (!access.mayActFor(identity, actions.ownerOf(record))) {
            throw new NoSuchContainerException(id);
        }
        return record;
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
