package ds01.containers;

import ds01.identity.PortalUsers;
import ds01.gpu.Allocator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** The containers a user (or, for admins, everyone) has, with their GPU slots: for the page and the API alike. */
@ApplicationScoped
public class ContainerListing {

    public record ContainerView(long id, String name, String project, String owner, String image, ContainerState state,
            List<String> gpuSlots, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime stoppedAt) {

        public boolean running() {
            return state == ContainerState.running;
        }

        public String gpus() {
            return gpuSlots.isEmpty() ? "CPU only" : String.join(", ", gpuSlots);
        }
    }

    private final Allocator allocator;
    private final PortalUsers users;

    public ContainerListing(Allocator allocator, PortalUsers users) {
        this.allocator = allocator;
        this.users = users;
    }

    /** Live containers: one owner's, or everyone's when {@code owner} is empty. */
    public List<ContainerView> of(Optional<String> owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (owner.isEmpty()) {
                return views(ContainerRecord.allLive(), allocator.live(owner));
            }
            OptionalLong id = users.idOf(owner.get());
            return id.isEmpty() ? List.<ContainerView>of() : views(ContainerRecord.liveOf(id.getAsLong()),
                    allocator.live(owner));
        });
    }

    /** One live container, or empty when there is none with this id. */
    public Optional<ContainerView> one(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(ContainerRecord.<ContainerRecord>findById(id))
                .filter(ContainerRecord::listed)
                .flatMap(r -> views(List.of(r), allocator.live(Optional.empty())).stream().findFirst()));
    }

    private List<ContainerView> views(List<ContainerRecord> records, List<Allocator.Held> held) {
        Map<Long, String> owners = users.usernamesOf(records.stream().map(r -> r.ownerId).collect(Collectors.toSet()));
        return records.stream().map(r -> new ContainerView(r.id, r.name, r.project, owners.get(r.ownerId),
                r.imageReference, r.state,
                held.stream().filter(h -> r.id.equals(h.containerId())).map(Allocator.Held::slotId).toList(),
                r.createdAt, r.startedAt, r.stoppedAt)).toList();
    }
}
