package ds01.limits;

/**
 * The limits file changed on disk and was read again: {@code loaded} when it took effect, false when it was refused
 * and the last good limits stay. Fired (synchronously) so the audit log can record the reload without the limits
 * package depending on it.
 */
public record LimitsFileChanged(boolean loaded) {
}
