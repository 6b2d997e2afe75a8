package ds01.containers;

import io.quarkus.qute.TemplateEnum;

/**
 * Where a container stands, as its record keeps it. The constants are spelled as the words the {@code container}
 * table's {@code state} column holds (and its check constraint allows), the API answers and the pages show, so they
 * persist by name with no mapping in between.
 */
@TemplateEnum
public enum ContainerState {
    /** Waiting in the GPU queue; nothing is on the engine yet. */
    queued,
    /** A deploy under way: recorded, not yet created on the engine. */
    creating,
    /** Created on the engine, not started yet. */
    created,
    running,
    stopped,
    retired,
    /** A deploy that failed, was undone or ended in the queue; closed. */
    failed,
    /** Removed outside the portal; closed. */
    missing
}
