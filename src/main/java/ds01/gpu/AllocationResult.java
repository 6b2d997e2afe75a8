package ds01.gpu;

import java.util.List;

/** What an allocation request came to. Refusals carry a message that says what to do next. */
public sealed interface AllocationResult {

    record Granted(List<Slot> slots) implements AllocationResult {
    }

    /** Within quota, but not enough free slots of the kind asked for now (the queue comes next). */
    record NoFreeSlot(String message) implements AllocationResult {
    }

    record Refused(String reason, String message) implements AllocationResult {
    }

    /** Waiting in the queue: {@code position} 1 is next when a slot that fits comes free. */
    record Queued(long requestId, int position, String message) implements AllocationResult {
    }
}
