package ds01.gpu;

import ds01.events.Actor;
import ds01.identity.AccessPolicy;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The live GPU page for admins ({@code /admin/gpus}, its board re-fetched by htmx every few seconds) and the
 * form that takes a request out of the queue.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class GpuResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gpus(GpuBoard board);

        static native TemplateInstance gpus$board(GpuBoard board);
    }

    private final InventoryService inventory;
    private final Allocator allocator;
    private final GpuQueue queue;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public GpuResource(InventoryService inventory, Allocator allocator, GpuQueue queue, AccessPolicy access,
            SecurityIdentity identity) {
        this.inventory = inventory;
        this.allocator = allocator;
        this.queue = queue;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Path("admin/gpus")
    public TemplateInstance gpus() {
        access.requireAdmin(identity, "The GPU page");
        return Templates.gpus(board());
    }

    /** The board alone, for htmx to swap in place. */
    @GET
    @Path("admin/gpus/board")
    public TemplateInstance liveBoard() {
        access.requireAdmin(identity, "The GPU page");
        return Templates.gpus$board(board());
    }

    @POST
    @Path("admin/gpus/refresh")
    public Response refresh() {
        access.requireAdmin(identity, "Reading the GPUs again");
        InventoryService.Snapshot snapshot = inventory.refresh();
        return Flash.redirect(URI.create("/admin/gpus"), snapshot.problem().isPresent() ? "warning" : "success",
                snapshot.problem().map(p -> "nvidia-smi could not be read: " + p)
                        .orElse("Read the GPUs again: " + snapshot.inventory().slots().size() + " slot(s)."));
    }

    /** Owners cancel their own waiting requests, admins anyone's; others learn nothing of it (404). */
    @POST
    @Path("gpus/queue/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        String me = identity.getPrincipal().getName();
        boolean admin = access.isAdmin(identity);
        if (!queue.cancel(id, admin ? Optional.empty() : Optional.of(me), Actor.user(me))) {
            throw new NotFoundException("You have no request " + id + " waiting in the GPU queue: it was served, "
                    + "cancelled or expired already.");
        }
        return Flash.redirect(URI.create(admin ? "/admin/gpus" : "/"), "success",
                "Request " + id + " is out of the queue.");
    }

    private GpuBoard board() {
        return GpuBoard.of(inventory.current(), allocator.live(Optional.empty()), queue.waiting(Optional.empty()),
                Instant.now());
    }
}
