package ds01.containers;

import ds01.events.Actor;
import ds01.gpu.Allocator;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Containers as JSON: list, deploy, stop, start, retire. Users act on their own; admins on all. Another user's
 * container answers 404, as one that does not exist, so ids reveal nothing.
 */
@Path("/api/containers")
@Produces(MediaType.APPLICATION_JSON)
public class ContainerApi {

    /** What a deploy asks for; {@code gpus} 0 (or absent) is CPU-only. */
    public record DeployBody(String project, String image, Integer gpus, Boolean wholeGpu, String profile) {
    }

    public record ContainerView(long id, String name, String project, String owner, String image, String state,
            List<String> gpuSlots, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime stoppedAt) {
    }

    private final Deployments deployments;
    private final Allocator allocator;
    private final AccessPolicy access;
    private final HostAccounts accounts;
    private final SecurityIdentity identity;

    public ContainerApi(Deployments deployments, Allocator allocator, AccessPolicy access, HostAccounts accounts,
            SecurityIdentity identity) {
        this.deployments = deployments;
        this.allocator = allocator;
        this.access = access;
        this.accounts = accounts;
        this.identity = identity;
    }

    @GET
    public List<ContainerView> list() {
        boolean admin = access.isAdmin(identity);
        List<ContainerRecord> records = QuarkusTransaction.requiringNew().call(ContainerRecord::allLive);
        List<Allocator.Held> held = allocator.live(admin ? Optional.empty() : Optional.of(me()));
        return records.stream().map(r -> view(r, held)).filter(v -> admin || v.owner().equals(me())).toList();
    }

    @GET
    @Path("{id}")
    public ContainerView one(@PathParam("id") long id) {
        ContainerRecord record = mine(id);
        return view(record, allocator.live(Optional.empty()));
    }

    /** 201 running, 202 waiting for a GPU, 400 a bad name or image, 409 over a limit, 502 a step failed (undone). */
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
        HostAccount account = accounts.find(me()).orElseThrow(() -> new ForbiddenException(
                "This server has no host account " + me() + " any more; ask an admin."));
        Deployments.Outcome outcome = deployments.deploy(new Deployments.DeployRequest(account, body.project(),
                body.image(), new Deployments.GpuChoice(gpus, Boolean.TRUE.equals(body.wholeGpu()),
                        Optional.ofNullable(body.profile()).filter(p -> !p.isBlank())),
                "api"));
        int status = switch (outcome.result()) {
            case "running" -> 201;
            case "queued" -> 202;
            case "refused" -> outcome.steps().get(0).state().equals("failed") ? 400 : 409;
            default -> 502;
        };
        return Response.status(status).entity(outcome).build();
    }

    @POST
    @Path("{id}/stop")
    public Deployments.Outcome stop(@PathParam("id") long id) {
        mine(id);
        return deployments.stop(id, Actor.user(me()));
    }

    @POST
    @Path("{id}/start")
    public Response start(@PathParam("id") long id) {
        mine(id);
        Deployments.Outcome outcome = deployments.start(id, Actor.user(me()));
        return Response.status(outcome.succeeded() ? 200 : 409).entity(outcome).build();
    }

    /** Retire: stop, remove, release its GPUs; the workspace stays. */
    @DELETE
    @Path("{id}")
    public Deployments.Outcome retire(@PathParam("id") long id) {
        mine(id);
        return deployments.retire(id, Actor.user(me()));
    }

    private ContainerRecord mine(long id) {
        ContainerRecord record = deployments.live(id);
        if (!access.mayActFor(identity, deployments.ownerOf(record))) {
            throw new Deployments.NoSuchContainerException(id);
        }
        return record;
    }

    private ContainerView view(ContainerRecord r, List<Allocator.Held> held) {
        Function<ContainerRecord, List<String>> slots = c -> held.stream()
                .filter(h -> c.id.equals(h.containerId())).map(Allocator.Held::slotId).toList();
        return new ContainerView(r.id, r.name, r.project, deployments.ownerOf(r), r.imageReference, r.state,
                slots.apply(r), r.createdAt, r.startedAt, r.stoppedAt);
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
