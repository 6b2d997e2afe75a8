package ds01.limits;

import java.util.Objects;
import java.util.Optional;

/**
 * One value of the limits file: either a bound, or {@code null} in YAML, which DS01 uses for
 * "no bound" (unlimited counts, disabled timeouts, GPUs held indefinitely). A sealed type rather
 * than a magic -1 so that callers must decide what "no bound" means for them.
 */
public sealed interface Limit<T> permits Limit.Bounded, Limit.Unbounded {

    static <T> Limit<T> of(T value) {
        return new Bounded<>(value);
    }

    @SuppressWarnings("unchecked")
    static <T> Limit<T> none() {
        return (Limit<T>) Unbounded.INSTANCE;
    }

    /** The bound, or empty when unlimited/disabled. */
    Optional<T> bound();

    default boolean isUnbounded() {
        return bound().isEmpty();
    }

    record Bounded<T>(T value) implements Limit<T> {
        public Bounded {
            Objects.requireNonNull(value, "a bounded limit needs a value; use Limit.none() for null");
        }

        @Override
        public Optional<T> bound() {
            return Optional.of(value);
        }
    }

    record Unbounded<T>() implements Limit<T> {
        private static final Unbounded<?> INSTANCE = new Unbounded<>();

        @Override
        public Optional<T> bound() {
            return Optional.empty();
        }
    }
}
