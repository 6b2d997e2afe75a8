package ds01.limits;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one section of the file sets ({@code defaults}, one group, one user override...).
 * A key missing here means "inherit from the layer below"; a key set to {@code null} is present
 * with {@link Limit#none()} and overrides the layers below with "unlimited"/"disabled".
 */
public final class LimitLayer {

    public static final LimitLayer EMPTY = new LimitLayer(Map.of());

    private final Map<LimitKey<?>, Limit<?>> values;

    LimitLayer(Map<LimitKey<?>, Limit<?>> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value this layer sets, or empty when the layer does not mention the key. */
    @SuppressWarnings("unchecked")
    public <T> Optional<Limit<T>> get(LimitKey<T> key) {
        return Optional.ofNullable((Limit<T>) values.get(key));
    }

    public Map<LimitKey<?>, Limit<?>> values() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitLayer other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
