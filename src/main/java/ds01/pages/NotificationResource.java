package ds01.pages;

import ds01.events.Notification;
import ds01.identity.PortalUser;
import ds01.identity.SignedIn;
import ds01.lifecycle.Lifelines;
import ds01.web.Flash;
import ds01.web.TimeWords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The user's notifications (warnings before a stop, stops, removals), newest first; opening the page marks them
 * read. Keep alive and extend, from a warning or the launcher.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class NotificationResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notifications(List<Notification> notifications);
    }

    private final EntityManager em;
    private final Lifelines lifelines;
    private final SignedIn signedIn;

    public NotificationResource(EntityManager em, Lifelines lifelines, SignedIn signedIn) {
        this.em = em;
        this.lifelines = lifelines;
        this.signedIn = signedIn;
    }

    @GET
    @Path("notifications")
    public TemplateInstance list() {
        long owner = ownerId();
        List<Notification> all = QuarkusTransaction.requiringNew().call(() -> Notification.of(owner));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update notification set read_at = now() "
                + "where owner_id = ?1 and read_at is null").setParameter(1, owner).executeUpdate());
        return Templates.notifications(all);
    }

    @POST
    @Path("lifecycle/containers/{id}/keep-alive")
    public Response keepAlive(@PathParam("id") long id, @FormParam("hours") int hours) {
        Instant until = lifelines.keepAlive(signedIn.name(), id, Duration.ofHours(hours), Instant.now());
        return Flash.redirect(URI.create("/launcher"), "success", "Kept alive until " + until
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + ": it is not stopped as idle before then.");
    }

    @POST
    @Path("lifecycle/containers/{id}/extend")
    public Response extend(@PathParam("id") long id, @FormParam("hours") int hours) {
        Duration total = lifelines.extendRuntime(signedIn.name(), id, Duration.ofHours(hours));
        return Flash.redirect(URI.create("/launcher"), "success", "Its runtime is extended by "
                + TimeWords.of(total) + " in all.");
    }

    /** The caller's portal_user id; -1 (owning nothing) before their first sign-in wrote the row. */
    private long ownerId() {
        return PortalUser.idOf(signedIn.name()).orElse(-1);
    }
}
