package ds01.containers;

import ds01.projects.ProjectName;
import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.gpu.GpuQuotas;
import ds01.gpu.InventoryService;
import ds01.gpu.Slot;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccount;
import ds01.identity.SignedIn;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "My containers": the list with its actions, the deploy form (with what is left of the user's GPU quota), the
 * deploy's progress step by step, and a container's output. Admins see everyone's with {@code ?everyone=true}.
 */
@Path("/containers")
@Produces(MediaType.TEXT_HTML)
public class ContainerResource {

    /** One choice of the deploy form's GPU menu: value sent, words shown. */
    public record GpuOption(String value, String label) {
    }

    /** {@code project} and {@code image}: chosen already when the launcher sent the user here, else empty. */
    public record DeployForm(List<String> images, List<GpuOption> gpus, GpuQuotas.MyGpus quota, String project,
            String image) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance containers(List<ContainerListing.ContainerView> containers, DeployForm form,
                boolean everyone);

        static native TemplateInstance deploy(DeployJobs.Job job);

        static native TemplateInstance deploy$steps(DeployJobs.Job job);

        static native TemplateInstance logs(ContainerListing.ContainerView container, String output);

        static native TemplateInstance logs$output(ContainerListing.ContainerView container, String output);

        static native TemplateInstance usage(String text);
    }

    private final ContainerListing listing;
    private final ContainerActions actions;
    private final DeployJobs jobs;
    private final ContainerEngine engine;
    private final ImagePolicy images;
    private final GpuQuotas quotas;
    private final InventoryService inventory;
    private final AccessPolicy access;
    private final SignedIn signedIn;
    private final SecurityIdentity identity;

    public ContainerResource(ContainerListing listing, ContainerActions actions, DeployJobs jobs, ContainerEngine engine,
            ImagePolicy images, GpuQuotas quotas, InventoryService inventory, AccessPolicy access,
            SignedIn signedIn, SecurityIdentity identity) {
        this.listing = listing;
        this.actions = actions;
        this.jobs = jobs;
        this.engine = engine;
        this.images = images;
        this.quotas = quotas;
        this.inventory = inventory;
        this.access = access;
        this.signedIn = signedIn;
        this.identity = identity;
    }

    @GET
    public TemplateInstance containers(@QueryParam("everyone") boolean everyone, @QueryParam("project") String project,
            @QueryParam("image") String image) {
        boolean all = everyone && access.isAdmin(identity);
        return Templates.containers(listing.of(all ? Optional.empty() : Optional.of(me())), form(
                ProjectName.isValid(project) ? project : "", image == null ? "" : image), all);
    }

    /** Starts a deploy and sends the browser to its progress page. */
    @POST
    public Response deploy(@FormParam("project") String project, @FormParam("image") String image,
            @FormParam("gpus") String gpus) {
        DeployFlow.GpuChoice choice = gpuChoice(gpus);
        DeployJobs.Job job = jobs.start(new DeployFlow.DeployRequest(account(), project == null ? "" : project.strip(),
                image == null ? "" : image.strip(), choice, "web"));
        return Response.seeOther(URI.create("/containers/deploys/" + job.id)).build();
    }

    @GET
    @Path("deploys/{job}")
    public TemplateInstance deployProgress(@PathParam("job") String id) {
        return Templates.deploy(job(id));
    }

    /** The steps so far, for htmx to swap in until the deploy ends. */
    @GET
    @Path("deploys/{job}/steps")
    public TemplateInstance deploySteps(@PathParam("job") String id) {
        return Templates.deploy$steps(job(id));
    }

    @POST
    @Path("{id}/{action: stop|start|restart|retire}")
    public Response act(@PathParam("id") long id, @PathParam("action") String action) {
        mine(id);
        Actor actor = Actor.user(me());
        Outcome outcome = switch (action) {
            case "stop" -> actions.stop(id, actor);
            case "start" -> actions.start(id, actor);
            case "restart" -> actions.restart(id, actor);
            default -> actions.retire(id, actor);
        };
        return Flash.redirect(URI.create("/containers"), outcome.succeeded() ? "success" : "warning", outcome.message());
    }

    @GET
    @Path("{id}/logs")
    public TemplateInstance logs(@PathParam("id") long id) {
        ContainerRecord record = mine(id);
        return Templates.logs(view(id), record.dockerId == null ? "" : engine.logTail(record.dockerId, 500));
    }

    /** The output again, for htmx to follow it. */
    @GET
    @Path("{id}/logs/tail")
    public TemplateInstance logTail(@PathParam("id") long id) {
        ContainerRecord record = mine(id);
        return Templates.logs$output(view(id), record.dockerId == null ? "" : engine.logTail(record.dockerId, 500));
    }

    /** CPU and memory in use now, as a short line for the list (htmx loads it per row). */
    @GET
    @Path("{id}/usage")
    public TemplateInstance usage(@PathParam("id") long id) {
        ContainerRecord record = mine(id);
        if (record.dockerId == null || record.state != ContainerState.running) {
            return Templates.usage("-");
        }
        return Templates.usage(engine.usage(record.dockerId).map(u -> String.format(Locale.ROOT, "CPU %.1f%% · %d MiB",
                u.cpuPercent(), u.memoryBytes() >> 20)).orElse("-"));
    }

    private DeployForm form(String project, String image) {
        HostAccount account = account();
        List<String> choices = new ArrayList<>(engine.imageTags("ds01-" + account.uid() + "/"));
        // base images the engine has: a catalogue row not pulled here would only fail the deploy's first step
        images.baseImages().stream().filter(engine::imageExists).forEach(choices::add);
        GpuQuotas.MyGpus quota = quotas.of(account.username());
        List<GpuOption> gpus = new ArrayList<>();
        gpus.add(new GpuOption("none", "none (CPU only)"));
        int most = Math.min(4, Optional.ofNullable(quota.quota().slotsPerContainer()).orElse(4));
        for (int n = 1; n <= most; n++) {
            gpus.add(new GpuOption(String.valueOf(n), n + " GPU slot" + (n == 1 ? "" : "s") + " (any kind)"));
        }
        List<Slot> slots = inventory.current().inventory().slots();
        if (quota.quota().wholeGpuAllowed() && slots.stream().anyMatch(Slot::isWholeGpu)) {
            gpus.add(new GpuOption("whole", "a whole GPU"));
        }
        slots.stream().flatMap(s -> s.profile().stream()).distinct().sorted()
                .forEach(p -> gpus.add(new GpuOption("profile:" + p, "one MIG slice " + p)));
        return new DeployForm(choices, gpus, quota, project, image);
    }

    /** The form's GPU menu value as a choice; anything the menu does not offer is refused. */
    static DeployFlow.GpuChoice gpuChoice(String value) {
        if (value == null || value.isBlank() || value.equals("none")) {
            return DeployFlow.GpuChoice.none();
        }
        if (value.equals("whole")) {
            return new DeployFlow.GpuChoice(1, true, Optional.empty());
        }
        if (value.matches("profile:[0-9]+g\\.[0-9]+gb(\\+me)?")) {
            return new DeployFlow.GpuChoice(1, false, Optional.of(value.substring("profile:".length())));
        }
        if (value.matches("[1-9]")) {
            return new DeployFlow.GpuChoice(Integer.parseInt(value), false, Optional.empty());
        }
        throw new BadRequestException("\"" + value + "\" is not one of the GPU choices: none, 1-9, whole, or a MIG "
                + "profile such as profile:1g.10gb.");
    }

    private DeployJobs.Job job(String id) {
        DeployJobs.Job job = jobs.find(id).orElseThrow(() -> new NotFoundException("There is no deploy " + id
                + " (deploy pages are kept for an hour)."));
        if (!access.mayActFor(identity, job.owner)) {
            throw new NotFoundException("There is no deploy " + id + " (deploy pages are kept for an hour).");
        }
        return job;
    }

    private ContainerRecord mine(long id) {
        ContainerRecord record = actions.live(id);
        if (!access.mayActFor(identity, actions.ownerOf(record))) {
            throw new NoSuchContainerException(id);
        }
        return record;
    }

    private ContainerListing.ContainerView view(long id) {
        return listing.one(id).orElseThrow(() -> new NoSuchContainerException(id));
    }

    private HostAccount account() {
        return signedIn.account();
    }

    private String me() {
        return signedIn.name();
    }
}
