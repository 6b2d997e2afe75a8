package ds01.nodes;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;

/**
 * A row that belongs to one GPU server: a container, its clock, a Jupyter session, a site image, a notification,
 * an audit event. A new row is stamped with this node's name when it is first saved, so no code spells a node.
 * (Entities are made with {@code new}, so the name is looked up rather than injected.)
 */
@MappedSuperclass
public abstract class OnNode extends PanacheEntityBase {

    @Column(nullable = false, length = 64)
    public String node;

    @PrePersist
    void stampNode() {
        if (node == null) {
            node = Arc.container().instance(ThisNode.class).get().name();
        }
    }
}
