package ds01.launcher;

import ds01.nodes.OnNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

/** A Jupyter server the portal started in a container: where the engine published it, and its secret token. */
@Entity
@Table(name = "jupyter_session")
public class JupyterSession extends OnNode {

    @Id
    @Column(name = "container_id")
    public Long containerId;

    @Column(nullable = false, length = 64)
    public String token;

    @Column(name = "host_port", nullable = false)
    public int hostPort;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt = OffsetDateTime.now();

    /** The session started in this container since it last started (a session from before a restart is gone). */
    static Optional<JupyterSession> currentIn(long containerId, OffsetDateTime containerStarted) {
        Optional<JupyterSession> session = findByIdOptional(containerId);
        return session.filter(s -> containerStarted == null || !s.startedAt.isBefore(containerStarted));
    }

    /** The container's one session from now on (the old one, if any, ended with its server). */
    static void replace(long containerId, String token, int hostPort) {
        delete("containerId", containerId);
        getEntityManager().flush();
        JupyterSession session = new JupyterSession();
        session.containerId = containerId;
        session.token = token;
        session.hostPort = hostPort;
        session.persist();
    }
}
