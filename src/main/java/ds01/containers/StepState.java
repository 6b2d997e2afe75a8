package ds01.containers;

import io.quarkus.qute.TemplateEnum;

/** How one step of a container operation ended; spelled as the API answers and the deploy page shows it. */
@TemplateEnum
public enum StepState {
    done,
    failed,
    /** What an earlier step did was taken back after a later one failed. */
    undone,
    skipped,
    /** The deploy waits for a GPU from the queue. */
    waiting
}
