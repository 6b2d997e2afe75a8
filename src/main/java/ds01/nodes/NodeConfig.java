package ds01.nodes;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;

/**
 * Which GPU server this portal runs on. Every slot, allocation and container record names its node, so that a
 * lab's second server can share the database. {@code DS01_NODE_NAME}; unset, the host's own name
 * ({@link HostNameDefault}).
 */
@ConfigMapping(prefix = "ds01.node")
public interface NodeConfig {

    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}",
            message = "DS01_NODE_NAME must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit")
    String name();
}
