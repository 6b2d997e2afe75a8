package ds01.pages;

import ds01.limits.EffectiveLimitsView;
import ds01.limits.LimitsOverview;
import ds01.limits.EffectiveLimits;
import ds01.limits.LimitsFile;
import ds01.limits.LimitsService;
import ds01.limits.MachineNotes;
import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import ds01.engine.ContainerEngine;
import ds01.events.Actor;
import ds01.events.LimitsAudit;
import ds01.identity.AccessPolicy;
import ds01.identity.HostAccounts;
import io.quarkus.security.identity.SecurityIdentity;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The admin pages of the limits file: what is in force, one user's limits, reload now. */
@Path("/admin/limits")
@Produces(MediaType.TEXT_HTML)
public class LimitsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(LimitsOverview overview, MachineNotes machine);

        static native TemplateInstance user(EffectiveLimitsView view, LimitsOverview overview, MachineNotes machine);
    }

    private final LimitsService limits;
    private final LimitsAudit limitsAudit;
    private final AccessPolicy access;
    private final HostAccounts accounts;
    private final SecurityIdentity identity;
    private final ContainerEngine engine;

    public LimitsResource(LimitsService limits, LimitsAudit limitsAudit, AccessPolicy access, HostAccounts accounts,
            SecurityIdentity identity, ContainerEngine engine) {
        this.engine = engine;
        this.limits = limits;
        this.limitsAudit = limitsAudit;
        this.access = access;
        this.accounts = accounts;
        this.identity = identity;
    }

    /** The overview; its look-up form sends {@code ?user=}, which goes to that user's page. */
    @GET
    public Response overview(@QueryParam("user") String user) {
        access.requireAdmin(identity, "The limits overview");
        if (user != null && !user.isBlank()) {
            String name = LimitsApi.validUserName(user.trim());
            return Response.seeOther(URI.create("/admin/limits/" + name)).build();
        }
        LimitsFile file = limits.current();
        return Response.ok(Templates.overview(LimitsOverview.of(limits),
                MachineNotes.of(engine, fit -> MachineNotes.forFile(fit, file)))).build();
    }

    @GET
    @Path("{user}")
    public TemplateInstance user(@PathParam("user") String user) {
        access.requireAdmin(identity, "Other users' limits");
        String name = LimitsApi.validUserName(user);
        EffectiveLimits effective = limits.forUser(name, LimitsApi.hostGroupsOf(accounts, name));
        return Templates.user(EffectiveLimitsView.of(effective), LimitsOverview.of(limits),
                MachineNotes.of(engine, fit -> MachineNotes.forUser(fit, effective)));
    }

    @POST
    @Path("reload")
    public Response reload() {
        URI back = URI.create("/admin/limits");
        access.requireAdmin(identity, "Reloading the limits file");
        if (limitsAudit.reload(Actor.user(identity.getPrincipal().getName()))) {
            return Flash.redirect(back, "success", "Limits reloaded from " + limits.loadedFrom() + ".");
        }
        return Flash.redirect(back, "danger", "The limits file was refused; the limits loaded at "
                + limits.loadedAt() + " stay in force. " + limits.reloadError().orElseThrow().message());
    }
}
