package ds01.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;

/**
 * Tells a user what the lifecycle jobs will do or did: in the portal (a list with an unread count) and, as DS01
 * did, as a line in {@code /workspace/.ds01-alerts} inside the container, and by e-mail where SMTP is configured.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final MailOut mail;
    private final Recipients recipients;
    private final WorkspaceAlerts alerts;

    public Notifications(MailOut mail, Recipients recipients, WorkspaceAlerts alerts) {
        this.mail = mail;
        this.recipients = recipients;
        this.alerts = alerts;
    }

    /**
     * As {@link #send}, for a user known by name: a user whose host account is gone cannot be told (their
     * workspace and mail are gone with it), which is logged, and never stops the action that wanted to tell them.
     */
    public void tell(String username, long ownerId, Long containerId, String project, String kind, String message) {
        if (alerts.reaches(username)) {
            send(username, ownerId, containerId, project, kind, message);
        } else {
            LOG.warnf("%s has no host account any more; not told: %s", username, message);
        }
    }

    public void send(String username, long ownerId, Long containerId, String project, String kind, String message) {
        QuarkusTransaction.requiringNew().run(() -> {
            Notification n = new Notification();
            n.ownerId = ownerId;
            n.containerId = containerId;
            n.kind = kind;
            n.message = message;
            n.persist();
        });
        try {
            alerts.append(username, project,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS) + " [" + kind + "] " + message + "\n");
        } catch (RuntimeException e) {
            // the portal's own list has it; a workspace the user made unwritable must not stop the policy
            LOG.warnf("could not add to %s's .ds01-alerts in %s: %s", username, project, e.getMessage());
        }
        if (mail.enabled()) {
            String known = recipients.emailOf(username).orElse(null);
            mail.addressOf(username, known).ifPresent(to -> {
                try {
                    mail.send(to, "DS01: " + subject(kind) + " (" + project + ")", message + "\n\n-- DS01 Portal");
                } catch (RuntimeException e) {
                    // the portal's list and the alerts file have it; a mail server down must not stop the policy
                    LOG.warnf("could not mail %s: %s", to, e.getMessage());
                }
            });
        }
    }

    /** A user's notifications, the latest first. */
    public List<Notification> of(String username) {
        OptionalLong owner = recipients.idOf(username);
        return owner.isEmpty() ? List.of() : QuarkusTransaction.requiringNew().call(() -> Notification.of(owner.getAsLong()));
    }

    /** How many of a user's notifications are unread. */
    public long unread(String username) {
        OptionalLong owner = recipients.idOf(username);
        return owner.isEmpty() ? 0 : QuarkusTransaction.requiringNew().call(() -> Notification.unread(owner.getAsLong()));
    }

    /** The user has seen their notifications. */
    public void allRead(String username) {
        recipients.idOf(username).ifPresent(owner -> QuarkusTransaction.requiringNew().run(() -> Notification.allRead(owner)));
    }

    private static String subject(String kind) {
        return switch (kind) {
            case "idle-warning" -> "your idle container will be stopped";
            case "runtime-warning" -> "your container reaches its maximum runtime";
            case "stopped" -> "your container was stopped";
            case "removed" -> "your stopped container was removed";
            case "retired" -> "your container was retired";
            default -> kind;
        };
    }
}
