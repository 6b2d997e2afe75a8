package ds01.gpu;

import java.util.Collection;
import java.util.Map;

/**
 * The names of the containers slots are held for, as the containers feature knows them. GPU pages and refusals
 * name containers, but containers depend on the GPU feature, not the other way round: so the GPU feature states
 * what it needs here and the containers feature answers it.
 */
public interface ContainerNames {

    /** Names by container id; ids without a record are left out. */
    Map<Long, String> namesOf(Collection<Long> containerIds);
}
