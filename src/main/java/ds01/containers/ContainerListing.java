package ds01.containers;

import ds01.database.Timestamps;
import ds01.gpu.Allocator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

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

    private final EntityManager em;
    private final Allocator allocator;

    public ContainerListing(EntityManager em, Allocator allocator) {
        this.em = em;
        this.allocator = allocator;
    }

    /** Live containers: one owner's, or everyone's when {@code owner} is empty. */
    public List<ContainerView> of(Optional<String> owner) {
        return views("(?1 = '' or u.username = ?1)", owner.orElse(""), allocator.live(owner));
    }

    /** One live container, or empty when there is none with this id. */
    public Optional<ContainerView> one(long id) {
        return views("c.id = ?1", id, allocator.live(Optional.empty())).stream().findFirst();
    }

    @SuppressWarnings("unchecked")
    private List<ContainerView> views(String where, Object parameter, List<Allocator.Held> held) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select c.id, c.name, "
                        + "c.project, u.username, c.image_reference, c.state, c.created_at, c.started_at, c.stopped_at "
                        + "from container c join portal_user u on u.id = c.owner_id where c.retired_at is null and "
                        + "c.state <> 'failed' and " + where + " order by c.created_at")
                .setParameter(1, parameter).getResultList());
        return rows.stream().map(r -> {
            long id = ((Number) r[0]).longValue();
            return new ContainerView(id, (String) r[1], (String) r[2], (String) r[3], (String) r[4], ContainerState.valueOf((String) r[5]),
                    held.stream().filter(h -> Long.valueOf(id).equals(h.containerId())).map(Allocator.Held::slotId).toList(),
                    Timestamps.of(r[6]), Timestamps.of(r[7]), Timestamps.of(r[8]));
        }).toList();
    }
}
