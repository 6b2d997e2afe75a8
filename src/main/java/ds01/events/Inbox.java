package ds01.events;

import ds01.database.ConnectionLoss;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The signed-in user's unread notification count, for the navigation bar of every page. */
@RequestScoped
@Named("inbox")
public class Inbox {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Inbox.class);

    private final Notifications notifications;
    private final SecurityIdentity identity;
    /** Asked twice by the menu (whether, then how many): one query a request. */
    private Long unread;

    public Inbox(Notifications notifications, SecurityIdentity identity) {
        this.notifications = notifications;
        this.identity = identity;
    }

    public long getUnread() {
        // error pages for requests Quarkus REST never took (an unknown path, a refused body) render on the event
        // loop, where a query must not block: they go without the count
        if (identity.isAnonymous() || io.vertx.core.Context.isOnEventLoopThread()) {
            return 0;
        }
        if (unread == null) {
            try {
                unread = count();
            } catch (RuntimeException e) {
                if (!ConnectionLoss.caused(e)) {
                    throw e;
                }
                // the page (often the error page saying the database is out of reach) still renders, without a badge
                LOG.debugf("unread count not read: %s", ConnectionLoss.describe(e));
                unread = 0L;
            }
        }
        return unread;
    }

    private long count() {
        return notifications.unread(identity.getPrincipal().getName());
    }
}
