package ds01.containers;

import ds01.gpu.Allocator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The containers a user (or, for admins, everyone) has, with their GPU slots: for the page and the API alike. */
@ApplicationScoped
public class ContainerListing {

    public record ContainerView(long id, String name, String project, String owner, String image, String state,
            List<String> gpuSlots, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime stoppedAt) {

        public boolean running() {
            return "running".equals(state);
        }

        public String gpus() {
            return gpuSlots.isEmpty() ? "CPU only" : String.join(", ", gpuSlots);
        }
    }

    private final EntityManager em;
    private final Allocator allocator;

    public ContainerListing(EntityManager em, Allocator allocator) {
        this.em = em;
        this.allocator = allocator;
    }

    /** Live containers: one owner's, or everyone's when {@code owner} is empty. */
    public List<ContainerView> of(Optional<String> owner) {
        Map<Long, String> owners = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, username from portal_user").getResultList();
            return rows.stream().collect(Collectors.toMap(r -> ((Number) r[0]).longValue(), r -> (String) r[1]));
        });
        List<ContainerRecord> records = QuarkusTransaction.requiringNew().call(ContainerRecord::allLive);
        List<Allocator.Held> held = allocator.live(owner);
        return records.stream().filter(r -> owner.map(o -> o.equals(owners.get(r.ownerId))).orElse(true))
                .map(r -> new ContainerView(r.id, r.name, r.project, owners.get(r.ownerId), r.imageReference, r.state,
                        held.stream().filter(h -> r.id.equals(h.containerId())).map(Allocator.Held::slotId).toList(),
                        r.createdAt, r.startedAt, r.stoppedAt))
                .toList();
    }
}
