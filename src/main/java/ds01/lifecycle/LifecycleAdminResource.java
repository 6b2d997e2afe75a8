package ds01.lifecycle;

import ds01.events.AuditLog;
import ds01.web.Flash;
import ds01.containers.ContainerListing;
import ds01.containers.ContainerState;
import ds01.database.Timestamps;
import ds01.identity.AccessPolicy;
import ds01.limits.LimitKey;
import ds01.limits.UserLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** For admins: what the lifecycle jobs did in the last 24 hours, and what they will do next, with why. */
@Path("/admin/lifecycle")
@Produces(MediaType.TEXT_HTML)
public class LifecycleAdminResource {

    public record Done(OffsetDateTime at, String policy, String action, String container, String why) {
    }

    public record Next(OffsetDateTime at, String container, String owner, String what, String why) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance lifecycle(List<Done> done, List<Next> next, List<Exemptions.Exemption> exemptions);
    }

    private final ContainerListing listing;
    private final Countdowns countdowns;
    private final UserLimits userLimits;
    private final AccessPolicy access;
    private final SecurityIdentity identity;
    private final Exemptions exemptions;
    private final AuditLog auditLog;

    public LifecycleAdminResource(ContainerListing listing, Countdowns countdowns,
            UserLimits userLimits, AccessPolicy access, SecurityIdentity identity, Exemptions exemptions, AuditLog auditLog) {
        this.auditLog = auditLog;
        this.exemptions = exemptions;
        this.listing = listing;
        this.countdowns = countdowns;
        this.userLimits = userLimits;
        this.access = access;
        this.identity = identity;
    }

    @GET
    public TemplateInstance page() {
        access.requireAdmin(identity, "The lifecycle page");
        List<Done> done = auditLog.byPoliciesSince(OffsetDateTime.now().minusHours(24), 500).stream()
                .map(e -> new Done(e.occurredAt, e.actor, e.action, e.target, e.detail)).toList();
        List<Next> next = new ArrayList<>();
        for (ContainerListing.ContainerView c : listing.of(Optional.empty())) {
            if (c.running()) {
                Countdowns.Countdown countdown = countdowns.of(c.id(), c.owner(), c.startedAt());
                if (countdown.idleStopAt() != null) {
                    next.add(new Next(countdown.idleStopAt(), c.name(), c.owner(), "stop (idle)",
                            "idle since its last checks: " + countdown.signals()));
                }
                if (countdown.runtimeStopAt() != null) {
                    next.add(new Next(countdown.runtimeStopAt(), c.name(), c.owner(), "stop (max runtime)",
                            "started " + c.startedAt().withNano(0)));
                }
            } else if (c.state() == ContainerState.stopped && c.stoppedAt() != null) {
                userLimits.of(c.owner()).get(LimitKey.CONTAINER_HOLD_AFTER_STOP).value().bound().ifPresent(hold ->
                        next.add(new Next(c.stoppedAt().plus(hold), c.name(), c.owner(), "remove",
                                "stopped " + c.stoppedAt().withNano(0) + "; container_hold_after_stop " + hold)));
            }
        }
        next.sort(Comparator.comparing(Next::at));
        return Templates.lifecycle(done, next, exemptions.active());
    }

    @jakarta.ws.rs.POST
    @Path("exemptions")
    public jakarta.ws.rs.core.Response grant(@jakarta.ws.rs.FormParam("username") String username,
            @jakarta.ws.rs.FormParam("scope") String scope, @jakarta.ws.rs.FormParam("days") int days,
            @jakarta.ws.rs.FormParam("reason") String reason) {
        access.requireAdmin(identity, "Granting exemptions");
        exemptions.grant(identity.getPrincipal().getName(), username == null ? "" : username.strip(), scope, days, reason);
        return Flash.redirect(java.net.URI.create("/admin/lifecycle"), "success", username + " is exempt from "
                + (scope.equals("all") ? "idle stops and the maximum runtime" : scope.equals("idle") ? "idle stops"
                : "the maximum runtime") + " for " + days + " day(s).");
    }

    @jakarta.ws.rs.POST
    @Path("exemptions/{id}/revoke")
    public jakarta.ws.rs.core.Response revoke(@jakarta.ws.rs.PathParam("id") long id) {
        access.requireAdmin(identity, "Revoking exemptions");
        exemptions.revoke(identity.getPrincipal().getName(), id);
        return Flash.redirect(java.net.URI.create("/admin/lifecycle"), "success", "Exemption " + id
                + " revoked.");
    }
}
