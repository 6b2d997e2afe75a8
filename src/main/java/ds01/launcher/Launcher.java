package ds01.launcher;

import ds01.images.ImageRecords;
import ds01.identity.PortalUsers;
import ds01.lifecycle.Countdowns;
import ds01.containers.ContainerListing;
import ds01.containers.ContainerState;
import ds01.gpu.Allocator;
import ds01.gpu.GpuQueue;
import ds01.identity.HostAccount;
import ds01.images.ImageRecord;
import ds01.projects.Projects;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The launcher's cards: one per project (a directory under {@code ~/workspace}, or a container's project), with
 * its image and container states and what can be done next.
 */
@ApplicationScoped
public class Launcher {

    /**
     * @param imageState    none, building, ready, failed, cancelled, or outdated (the container runs a build older
     *                      than the image's newest)
     * @param queuePosition the container's place in the GPU queue, when queued
     * @param gpus          slots the container holds
     * @param holdUntil     when a stopped container's slots go back, if it holds any and the hold ends
     */
    public record Card(String project, boolean hasDirectory, String imageState, String imageName, String imageReference,
            ContainerListing.ContainerView container, Integer queuePosition, List<String> gpus,
            OffsetDateTime holdUntil, boolean jupyterOpen, Countdowns.Countdown countdown) {

        public boolean running() {
            return container != null && container.running();
        }

        public boolean stopped() {
            return container != null && container.state() == ContainerState.stopped;
        }

        public String containerState() {
            return container == null ? "none" : container.state().name();
        }
    }

    private final Projects projects;
    private final ContainerListing listing;
    private final Allocator allocator;
    private final GpuQueue queue;
    private final JupyterServers jupyter;
    private final Countdowns countdowns;
    private final PortalUsers users;
    private final ImageRecords imageRecords;

    public Launcher(Projects projects, ContainerListing listing, Allocator allocator, GpuQueue queue,
            JupyterServers jupyter, Countdowns countdowns, PortalUsers users, ImageRecords imageRecords) {
        this.imageRecords = imageRecords;
        this.users = users;
        this.countdowns = countdowns;
        this.projects = projects;
        this.listing = listing;
        this.allocator = allocator;
        this.queue = queue;
        this.jupyter = jupyter;
    }

    public List<Card> cards(HostAccount account) {
        String me = account.username();
        List<Projects.Project> dirs = projects.of(account);
        List<ContainerListing.ContainerView> containers = listing.of(Optional.of(me));
        List<Allocator.Held> held = allocator.live(Optional.of(me));
        List<GpuQueue.Entry> waiting = queue.waiting(Optional.of(me));
        List<ImageRecord> images = imageRecords.ownedBy(ownerId(me));
        TreeSet<String> names = new TreeSet<>();
        dirs.forEach(d -> names.add(d.name()));
        containers.forEach(c -> names.add(c.project()));
        List<Card> cards = new ArrayList<>();
        for (String project : names) {
            ContainerListing.ContainerView container = containers.stream().filter(c -> c.project().equals(project))
                    .findFirst().orElse(null);
            Optional<ImageRecord> image = images.stream().filter(i -> project.equals(i.project))
                    .max(Comparator.comparing(i -> i.createdAt));
            String imageState = image.map(i -> i.state).orElse("none");
            if (container != null && image.isPresent() && "ready".equals(imageState) && image.get().builtAt != null
                    && container.image().equals(image.get().reference) && container.createdAt() != null
                    && image.get().builtAt.isAfter(container.createdAt())) {
                imageState = "outdated";
            }
            Integer position = container == null ? null : waiting.stream()
                    .filter(w -> container.id() == (w.containerId() == null ? -1 : w.containerId()))
                    .map(GpuQueue.Entry::position).findFirst().orElse(null);
            List<Allocator.Held> mine = container == null ? List.of() : held.stream()
                    .filter(h -> h.containerId() != null && h.containerId() == container.id()).toList();
            OffsetDateTime holdUntil = mine.stream().map(Allocator.Held::holdUntil).filter(java.util.Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            boolean open = container != null && container.running() && jupyter.target(me, project).isPresent();
            cards.add(new Card(project, dirs.stream().anyMatch(d -> d.name().equals(project)), imageState,
                    image.map(i -> i.name).orElse(null), image.map(i -> i.reference).orElse(null), container, position,
                    mine.stream().map(Allocator.Held::slotId).toList(), holdUntil, open, container != null
                            && container.running() ? countdowns.of(container.id(), me, container.startedAt()) : null));
        }
        return cards;
    }

    /** The caller's portal_user id; -1 (owning nothing) before their first sign-in wrote the row. */
    private long ownerId(String username) {
        return users.idOf(username).orElse(-1);
    }
}
