package ds01.pages;

import ds01.containers.ContainerListing;
import ds01.containers.ContainerMetrics;
import ds01.containers.ContainerRecord;
import ds01.containers.ContainerActions;
import ds01.containers.Outcome;
import ds01.events.Actor;
import ds01.events.Notifications;
import ds01.gpu.InventoryService;
import ds01.identity.AccessPolicy;
import ds01.web.Flash;
import ds01.web.Quoted;
import ds01.web.UserName;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * For admins: every container on the machine, filtered by user, state and GPU; stop or retire any of them with a
 * reason, which goes into the audit log and to the owner (portal, .ds01-alerts, e-mail). Workspaces stay.
 */
@Path("/admin/containers")
public class ContainerAdminResource {

    static final List<String> GPU_FILTERS = List.of("gpu", "cpu");
    static final int REASON_MAX = 300;

    /** The filter as the form shows it again. */
    public record Filter(String user, String state, String gpu) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance containers(Filter filter, List<ContainerListing.ContainerView> containers,
                int total, List<String> states, List<String> gpus);
    }

    private final ContainerListing listing;
    private final ContainerActions actions;
    private final Notifications notifications;
    private final InventoryService inventory;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public ContainerAdminResource(ContainerListing listing, ContainerActions actions, Notifications notifications,
            InventoryService inventory, AccessPolicy access, SecurityIdentity identity) {
        this.inventory = inventory;
        this.listing = listing;
        this.actions = actions;
        this.notifications = notifications;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("user") String user, @QueryParam("state") String state,
            @QueryParam("gpu") String gpu) {
        access.requireAdmin(identity, "All containers");
        Filter filter = new Filter(blankToEmpty(user), blankToEmpty(state), blankToEmpty(gpu));
        if (!filter.user().isEmpty() && !UserName.isValid(filter.user())) {
            throw new BadRequestException(Quoted.of(filter.user()) + " is not " + UserName.DESCRIPTION + ".");
        }
        if (!filter.state().isEmpty() && !ContainerMetrics.STATES.contains(filter.state())) {
            throw new BadRequestException("State must be one of " + String.join(", ", ContainerMetrics.STATES) + ".");
        }
        if (!filter.gpu().isEmpty() && !GPU_FILTERS.contains(filter.gpu()) && !filter.gpu().matches("\\d{1,2}")) {
            throw new BadRequestException("GPU must be \"gpu\" (holds a GPU slot), \"cpu\" (holds none) or a GPU's "
                    + "index (holds a slot on that GPU).");
        }
        List<ContainerListing.ContainerView> all = listing.of(filter.user().isEmpty() ? Optional.empty()
                : Optional.of(filter.user()));
        List<ContainerListing.ContainerView> shown = all.stream()
                .filter(c -> filter.state().isEmpty() || c.state().name().equals(filter.state()))
                .filter(c -> matchesGpu(filter.gpu(), c.gpuSlots()))
                .toList();
        List<String> gpus = inventory.current().inventory().slots().stream().map(slot -> String.valueOf(slot.gpuIndex()))
                .distinct().toList();
        return Templates.containers(filter, shown, all.size(), ContainerMetrics.STATES, gpus);
    }

    /** "" any, "gpu" some slot, "cpu" none, "N" a slot on GPU N ("N" or "N.m"). */
    static boolean matchesGpu(String filter, List<String> slots) {
        return switch (filter) {
            case "" -> true;
            case "gpu" -> !slots.isEmpty();
            case "cpu" -> slots.isEmpty();
            default -> slots.stream().anyMatch(s -> s.equals(filter) || s.startsWith(filter + "."));
        };
    }

    @POST
    @Path("{id}/{action: stop|retire}")
    public Response act(@PathParam("id") long id, @PathParam("action") String action,
            @FormParam("reason") String reason) {
        access.requireAdmin(identity, "Stopping or retiring another user's container");
        String why = reason == null ? "" : reason.strip();
        if (why.length() < 3 || why.length() > REASON_MAX || why.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("Say why in 3 to " + REASON_MAX + " characters on one line: the owner is told.");
        }
        ContainerRecord record = actions.live(id);
        String owner = actions.ownerOf(record);
        String admin = identity.getPrincipal().getName();
        String because = "by admin " + admin + ": " + why;
        Outcome outcome = action.equals("stop") ? actions.stop(id, Actor.user(admin), because)
                : actions.retire(id, Actor.user(admin), because);
        String done = action.equals("stop") ? "stopped" : "retired";
        notifications.tell(owner, record.ownerId, id, record.project, done, record.name + " was " + done + " by "
                + admin + ", an admin: " + why + ". Your files in ~/workspace/" + record.project + " stay"
                + (action.equals("stop") ? "; start it again from the launcher when you may." : "."));
        return Flash.redirect(URI.create("/admin/containers"), outcome.succeeded() ? "success" : "warning",
                record.name + " is " + done + "; " + owner + "'s files stay, and " + owner + " has been told why.");
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
