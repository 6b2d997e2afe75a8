package ds01.launcher;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A Jupyter server the portal started in a container: where the engine published it, and its secret token. */
@Entity
@Table(name = "jupyter_session")
public class JupyterSession extends PanacheEntityBase {

    @Id
    @Column(name = "container_id")
    public Long containerId;

    @Column(nullable = false, length = 64)
    public String token;

    @Column(name = "host_port", nullable = false)
    public int hostPort;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt = OffsetDateTime.now();

    @Column(nullable = false, length = 64)
    public String node = "local";
}
