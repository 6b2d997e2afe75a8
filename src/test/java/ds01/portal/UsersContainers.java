package ds01.portal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

import java.util.List;
import java.util.Map;

/** A user's containers on the engine, found by the portal's owner label: what an IT checks and clears away. */
final class UsersContainers {

    private UsersContainers() {
    }

    static List<Container> of(DockerClient docker, String user) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ds01.user", user)).exec();
    }

    /** Removes them, whatever state a test (or a killed portal) left them in. */
    static void remove(DockerClient docker, String... users) {
        for (String user : users) {
            for (Container c : of(docker, user)) {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            }
        }
    }
}
