package ds01.containers;

import ds01.database.Reads;
import ds01.gpu.ContainerNames;
import ds01.images.ImageUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Container records as other features see them: the way into the {@code container} table from outside this
 * package (the launcher notes activity, images ask which containers use an image, the GPU pages name the
 * containers slots are held for). Each call runs in the caller's transaction, or its own when there is none.
 */
@ApplicationScoped
public class ContainerRecords implements ContainerNames, ImageUsers {

    @Override
    public Map<Long, String> namesOf(Collection<Long> containerIds) {
        return Reads.inTransaction(() -> ContainerRecord.namesOf(containerIds));
    }

    /** Of these containers, the closed ones (retired, failed, missing), with their names. */
    public Map<Long, String> closedAmong(Collection<Long> containerIds) {
        return Reads.inTransaction(() -> ContainerRecord.closedAmong(containerIds));
    }

    @Override
    public List<String> liveContainersUsing(String imageReference) {
        return Reads.inTransaction(() -> ContainerRecord.liveNamesUsing(imageReference));
    }

    /** Notes that its owner used the container through the portal just now: it is not idle. */
    public void touch(long containerId) {
        if (QuarkusTransaction.isActive()) {
            ContainerRecord.touch(containerId);
        } else {
            QuarkusTransaction.requiringNew().run(() -> ContainerRecord.touch(containerId));
        }
    }

    /** A running container: its id and since when it runs (null: not known, e.g. adopted). */
    public record Running(long id, OffsetDateTime startedAt) {
    }

    /** The owner's running container for this project, if it runs. */
    public Optional<Running> runningOf(long ownerId, String project) {
        return Reads.inTransaction(() -> ContainerRecord.runningOf(ownerId, project)
                .map(r -> new Running(r.id, r.startedAt)));
    }

    /** The engine's id of a container, if the record has one. */
    public Optional<String> dockerIdOf(long containerId) {
        return Reads.inTransaction(() -> Optional.ofNullable(ContainerRecord.<ContainerRecord>findById(containerId))
                .map(r -> r.dockerId));
    }

    /** Containers the lifecycle jobs watch: running, stopped, or created and never started; by id. */
    public List<ContainerRecord> watched() {
        return Reads.inTransaction(ContainerRecord::watched);
    }
}
