package ds01.limits;

/**
 * An effective value and the layer it came from: "override", "group researcher", "default"
 * (the file's defaults or top-level policies) or "built-in" (no layer sets it).
 */
public record Resolved<T>(LimitKey<T> key, Limit<T> value, String source) {
}
