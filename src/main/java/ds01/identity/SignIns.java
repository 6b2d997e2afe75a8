package ds01.identity;

import ds01.events.Actor;
import ds01.events.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;

/** Records a sign-in, whichever way it came: the user's row and the audit event commit together. */
@ApplicationScoped
public class SignIns {

    private final AuditLog auditLog;
    private final PortalIdentities identities;

    public SignIns(AuditLog auditLog, PortalIdentities identities) {
        this.auditLog = auditLog;
        this.identities = identities;
    }

    /** The address a sign-in came from, as the audit log and the throttle count it (forwarded by nginx). */
    public static String addressOf(io.vertx.ext.web.RoutingContext context) {
        return context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
    }

    @Transactional
    public void signedIn(HostAccount account, String how, String address) {
        PortalUser user = PortalUser.of(account);
        user.lastSignInAt = OffsetDateTime.now();
        user.admin = identities.adminReason(account).isPresent();
        auditLog.record(Actor.user(account.username()), "sign-in", account.username(), how + " from " + address);
    }
}
