package ds01.lifecycle;

import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.identity.UserFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Tells a user what the lifecycle jobs will do or did: in the portal (a list with an unread count) and, as DS01
 * did, as a line in {@code /workspace/.ds01-alerts} inside the container, and by e-mail where SMTP is configured.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final MailOut mail;
    private final jakarta.persistence.EntityManager em;
    private final HostAccounts accounts;
    private final UserFiles userFiles;

    public Notifications(MailOut mail, jakarta.persistence.EntityManager em, HostAccounts accounts,
            UserFiles userFiles) {
        this.userFiles = userFiles;
        this.mail = mail;
        this.em = em;
        this.accounts = accounts;
    }

    /**
     * As {@link #send}, for a user known by name: a user whose host account is gone cannot be told (their
     * workspace and mail are gone with it), which is logged, and never stops the action that wanted to tell them.
     */
    public void tell(String username, long ownerId, Long containerId, String project, String kind, String message) {
        java.util.Optional<HostAccount> owner = accounts.find(username);
        if (owner.isPresent()) {
            send(owner.get(), ownerId, containerId, project, kind, message);
        } else {
            LOG.warnf("%s has no host account any more; not told: %s", username, message);
        }
    }

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
            userFiles.append(owner, Path.of(owner.home(), "workspace", project, ".ds01-alerts"),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS) + " [" + kind + "] " + message + "\n");
        } catch (RuntimeException e) {
            // the portal's own list has it; a workspace the user made unwritable must not stop the policy
            LOG.warnf("could not add to %s's .ds01-alerts in %s: %s", owner.username(), project, e.getMessage());
        }
        if (mail.enabled()) {
            String known = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                    "select email from portal_user where id = ?1").setParameter(1, ownerId).getResultList().stream()
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null));
            mail.addressOf(owner.username(), known).ifPresent(to -> {
                try {
                    mail.send(to, "DS01: " + subject(kind) + " (" + project + ")", message + "\n\n-- DS01 Portal");
                } catch (RuntimeException e) {
                    // the portal's list and the alerts file have it; a mail server down must not stop the policy
                    LOG.warnf("could not mail %s: %s", to, e.getMessage());
                }
            });
        }
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
