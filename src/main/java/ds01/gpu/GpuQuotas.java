package ds01.gpu;

import ds01.limits.UserLimits;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** A user's GPUs in one view: their quota, the slots they hold and their requests waiting in the queue. */
@ApplicationScoped
public class GpuQuotas {

    /** What the dashboard shows a user of their GPUs. */
    public record MyGpus(GpuQuota quota, List<Allocator.Held> held, List<GpuQueue.Entry> waiting) {
    }

    private final Allocator allocator;
    private final GpuQueue queue;
    private final UserLimits userLimits;

    public GpuQuotas(Allocator allocator, GpuQueue queue, UserLimits userLimits) {
        this.allocator = allocator;
        this.queue = queue;
        this.userLimits = userLimits;
    }

    public MyGpus of(String username) {
        List<Allocator.Held> held = allocator.live(Optional.of(username));
        List<GpuQueue.Entry> waiting = queue.waiting(Optional.of(username));
        return new MyGpus(GpuQuota.of(userLimits.of(username), held, queue.priorityOf(username), waiting.size()),
                held, waiting);
    }
}
