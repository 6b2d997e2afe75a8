package ds01.nodes;

import jakarta.enterprise.context.ApplicationScoped;

/** The node this portal process drives: its GPUs, its engine, its containers. */
@ApplicationScoped
public class ThisNode {

    private final String name;

    public ThisNode(NodeConfig config) {
        this.name = config.name();
    }

    public String name() {
        return name;
    }
}
