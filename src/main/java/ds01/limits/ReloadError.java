package ds01.limits;

import java.time.Instant;

/** The last reload refused the file; the portal still runs on the limits loaded before. */
public record ReloadError(LimitsFileException error, Instant at) {
    public String message() {
        return error.getMessage();
    }
}
