package ds01.lifecycle;

import ds01.identity.HostAccount;
import ds01.identity.UserFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Tells a user what the lifecycle jobs will do or did: in the portal (a list with an unread count) and, as DS01
 * did, as a line in {@code /workspace/.ds01-alerts} inside the container.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    public void send(HostAccount owner, long ownerId, Long containerId, String project, String kind, String message) {
        QuarkusTransaction.requiringNew().run(() -> {
            Notification n = new Notification();
            n.ownerId = ownerId;
            n.containerId = containerId;
            n.kind = kind;
            n.message = message;
            n.persist();
        });
        try {
            UserFiles.append(owner, Path.of(owner.home(), "workspace", project, ".ds01-alerts"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS) + " [" + kind + "] " + message + "\n");
        } catch (RuntimeException e) {
            // the portal's own list has it; a workspace the user made unwritable must not stop the policy
            LOG.warnf("could not add to %s's .ds01-alerts in %s: %s", owner.username(), project, e.getMessage());
        }
    }
}
