package ds01.pages;

import ds01.events.Notification;
import ds01.events.Notifications;
import ds01.identity.SignedIn;
import ds01.lifecycle.Lifelines;
import ds01.web.Flash;
import ds01.web.TimeWords;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import java.time.temporal.ChronoUnit;
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

    private final Lifelines lifelines;
    private final SignedIn signedIn;
    private final Notifications notifications;

    public NotificationResource(Lifelines lifelines, SignedIn signedIn, Notifications notifications) {
        this.notifications = notifications;
        this.lifelines = lifelines;
        this.signedIn = signedIn;
    }

    @GET
    @Path("notifications")
    public TemplateInstance list() {
        List<Notification> all = notifications.of(signedIn.name());
        notifications.allRead(signedIn.name());
        return Templates.notifications(all);
    }

    @POST
    @Path("lifecycle/containers/{id}/keep-alive")
    public Response keepAlive(@PathParam("id") long id, @FormParam("hours") int hours) {
        Instant until = lifelines.keepAlive(signedIn.name(), id, Duration.ofHours(hours), Instant.now());
        return Flash.redirect(URI.create("/launcher"), "success", "Kept alive until " + until
                .truncatedTo(ChronoUnit.MINUTES) + ": it is not stopped as idle before then.");
    }

    @POST
    @Path("lifecycle/containers/{id}/extend")
    public Response extend(@PathParam("id") long id, @FormParam("hours") int hours) {
        Duration total = lifelines.extendRuntime(signedIn.name(), id, Duration.ofHours(hours));
        return Flash.redirect(URI.create("/launcher"), "success", "Its runtime is extended by "
                + TimeWords.of(total) + " in all.");
    }
}
