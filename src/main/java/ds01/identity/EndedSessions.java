package ds01.identity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions that were signed out. The cookie is the session (sealed, not stored), so ending one means remembering
 * its id until it would have expired anyway; a copy of the cookie (another tab, a stolen one) then opens nothing.
 * The table is the record and survives restarts; the set in memory answers each request without the database,
 * because the check runs on the I/O thread before any page.
 */
@ApplicationScoped
public class EndedSessions {

    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final EntityManager em;
    private final SessionConfig config;

    public EndedSessions(EntityManager em, SessionConfig config) {
        this.em = em;
        this.config = config;
    }

    void load(@Observes StartupEvent start) {
        List<?> ids = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("delete from ended_session where forget_after < now()").executeUpdate();
            return em.createNativeQuery("select session_id from ended_session").getResultList();
        });
        ids.forEach(id -> ended.add((String) id));
    }

    /** Ends {@code session} for good, whoever holds a copy of its cookie. */
    public void end(SessionCookie.Session session) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into ended_session (session_id, "
                        + "username, forget_after) values (?1, ?2, ?3) on conflict (session_id) do nothing")
                .setParameter(1, session.id()).setParameter(2, session.username())
                .setParameter(3, Timestamp.from(session.signedInAt().plus(config.maxAge()))).executeUpdate());
        ended.add(session.id());
    }

    public boolean isEnded(String sessionId) {
        return ended.contains(sessionId);
    }
}
