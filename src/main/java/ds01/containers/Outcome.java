package ds01.containers;

import java.util.List;

/** How a container operation ended, with its steps and a message for the user. */
public record Outcome(Result result, Long containerId, String containerName, List<Step> steps, String message) {

    /** Spelled as the API answers it and as {@code ds01_deploy_duration_seconds} tags it. */
    public enum Result {
        running,
        /** Waits for a GPU; the queue continues the deploy. */
        queued,
        /** Nothing was made. */
        refused,
        /** A step failed; what the steps before it did was undone. */
        failed,
        stopped,
        retired
    }

    public boolean succeeded() {
        return result != Result.refused && result != Result.failed;
    }
}
