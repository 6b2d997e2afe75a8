package ds01.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects the steps of one operation and tells a watcher (the deploy page) each as it ends. */
final class Progress {

    private final List<Step> steps = new ArrayList<>();
    private final Consumer<Step> watcher;

    Progress(Consumer<Step> watcher) {
        this.watcher = watcher;
    }

    Progress() {
        this(step -> { });
    }

    void add(Step step) {
        steps.add(step);
        watcher.accept(step);
    }

    void add(String name, StepState state, String detail) {
        add(new Step(name, state, detail));
    }

    void done(String name, String detail) {
        add(name, StepState.done, detail);
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    Outcome outcome(Outcome.Result result, Long containerId, String containerName, String message) {
        return new Outcome(result, containerId, containerName, steps(), message);
    }

    /** The step failed and nothing was made. */
    Outcome refuse(String name, String why) {
        add(name, StepState.failed, why);
        return outcome(Outcome.Result.refused, null, null, why);
    }
}
