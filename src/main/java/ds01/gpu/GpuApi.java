package ds01.gpu;

import ds01.events.Actor;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ds01.identity.AccessPolicy;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The GPUs as JSON: the machine's slots (for everyone signed in), allocations and the queue (a user's own, or
 * everyone's for admins), and the caller's quota.
 */
@Path("/api/gpu")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "GPUs", description = "The machine's GPU slots, allocations, the queue and your quota")
public class GpuApi {

    /** One slot as the API shows it. */
    public record SlotView(String id, String uuid, int gpu, String profile, double weight) {
    }

    /** {@code vanished}: live allocations of slots nvidia-smi no longer reports. */
    public record InventoryView(Instant readAt, String problem, List<SlotView> slots, Map<Integer, String> gpusWithoutSlots,
            List<Allocator.Held> vanished) {
    }

    private final InventoryService inventory;
    private final Allocator allocator;
    private final GpuQueue queue;
    private final GpuQuotas quotas;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public GpuApi(InventoryService inventory, Allocator allocator, GpuQueue queue, GpuQuotas quotas,
            AccessPolicy access, SecurityIdentity identity) {
        this.inventory = inventory;
        this.allocator = allocator;
        this.queue = queue;
        this.quotas = quotas;
        this.access = access;
        this.identity = identity;
    }

    /** Waiting requests with their positions in the whole queue: a user sees their own, an admin everyone's. */
    @GET
    @Path("queue")
    public List<GpuQueue.Entry> queue() {
        return queue.waiting(access.isAdmin(identity) ? Optional.empty() : Optional.of(me()));
    }

    /** Takes a waiting request out of the queue: 204, or 404 when the caller has no such request waiting. */
    @DELETE
    @Path("queue/{id}")
    public Response cancel(@PathParam("id") long id) {
        boolean admin = access.isAdmin(identity);
        if (!queue.cancel(id, admin ? Optional.empty() : Optional.of(me()), Actor.user(me()))) {
            throw new NotFoundException("You have no request " + id + " waiting in the GPU queue.");
        }
        return Response.noContent().build();
    }

    /** The caller's GPU limits, what they hold against them, and what is left. */
    @GET
    @Path("quota")
    public GpuQuota quota() {
        return quotas.of(me()).quota();
    }

    /** Reads nvidia-smi now rather than at the next scheduled refresh (admins). */
    @POST
    @Path("inventory/refresh")
    public InventoryView refresh() {
        access.requireAdmin(identity, "Reading the GPUs again");
        return view(inventory.refresh());
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    /** Live allocations: a user sees their own, an admin everyone's. */
    @GET
    @Path("allocations")
    public List<Allocator.Held> allocations() {
        return allocator.live(access.isAdmin(identity) ? Optional.empty()
                : Optional.of(identity.getPrincipal().getName()));
    }

    @GET
    @Path("inventory")
    public InventoryView inventory() {
        return view(inventory.current());
    }

    private static InventoryView view(InventoryService.Snapshot snapshot) {
        return new InventoryView(snapshot.readAt(), snapshot.problem().orElse(null),
                snapshot.inventory().slots().stream().map(s -> new SlotView(s.id(), s.uuid(), s.gpuIndex(),
                        s.profile().orElse("whole GPU"), s.weight())).toList(),
                snapshot.inventory().gpusWithoutSlots(), snapshot.vanished());
    }
}
