package ds01.gpu;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ds01.identity.AccessPolicy;
import io.quarkus.security.identity.SecurityIdentity;

/** The machine's GPU slots as JSON: what exists, for everyone signed in (who holds what comes with allocations). */
@Path("/api/gpu")
@Produces(MediaType.APPLICATION_JSON)
public class GpuApi {

    /** One slot as the API shows it. */
    public record SlotView(String id, String uuid, int gpu, String profile, double weight) {
    }

    public record InventoryView(Instant readAt, String problem, List<SlotView> slots, Map<Integer, String> gpusWithoutSlots) {
    }

    private final InventoryService inventory;
    private final Allocator allocator;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public GpuApi(InventoryService inventory, Allocator allocator, AccessPolicy access, SecurityIdentity identity) {
        this.inventory = inventory;
        this.allocator = allocator;
        this.access = access;
        this.identity = identity;
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
        InventoryService.Snapshot snapshot = inventory.current();
        return new InventoryView(snapshot.readAt(), snapshot.problem().orElse(null),
                snapshot.inventory().slots().stream().map(s -> new SlotView(s.id(), s.uuid(), s.gpuIndex(),
                        s.profile().orElse("whole GPU"), s.weight())).toList(),
                snapshot.inventory().gpusWithoutSlots());
    }
}
