package ds01.containers;

/** One step of a container operation as the user sees it. */
public record Step(String name, StepState state, String detail) {
}
