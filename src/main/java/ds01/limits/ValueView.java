package ds01.limits;

import io.quarkus.qute.TemplateData;

/**
 * One effective value as the API and the admin page show it. {@code value} is the machine face
 * (a number, bytes, an ISO-8601 duration, or null when unbounded); {@code human} is how DS01 writes
 * it ("32g", "30m") or, when unbounded, the word for what null means here ("unlimited", "disabled").
 */
@TemplateData
public record ValueView(String key, Object value, String human, boolean unbounded, String source) {

    static <T> ValueView of(Resolved<T> r) {
        LimitKey<T> key = r.key();
        return new ValueView(key.name(), r.value().bound().map(key.kind()::machine).orElse(null),
                human(key, r.value()), r.value().isUnbounded(), r.source());
    }

    static <T> String human(LimitKey<T> key, Limit<T> limit) {
        return limit.bound().map(key.kind()::human).orElseGet(() -> key.nullMeaning().orElseThrow());
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    static String humanUnchecked(LimitKey<?> key, Limit<?> limit) {
        // layers pair each key with a Limit of its own type; the map's wildcard types cannot say so
        return human((LimitKey) key, (Limit) limit);
    }
}
