package ds01.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A container as the engine reports it: the truth about what exists (invariant 5). */
public record EngineContainer(String id, String name, String image, String state, Map<String, String> labels,
        Optional<Instant> startedAt) {

    public boolean running() {
        return "running".equals(state);
    }
}
