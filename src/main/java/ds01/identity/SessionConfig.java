package ds01.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The portal's sign-in session and the brakes on guessing passwords. */
@ConfigMapping(prefix = "ds01.session")
public interface SessionConfig {

    /** A session unused this long ends ({@code DS01_SESSION_IDLE_TIMEOUT}). */
    @WithDefault("8h")
    Duration idleTimeout();

    /** No session outlives this, however active ({@code DS01_SESSION_MAX_AGE}). */
    @WithDefault("7d")
    Duration maxAge();

    /**
     * The key sessions are encrypted with, base64 of 32 bytes ({@code DS01_SESSION_KEY}). Unset: a key generated
     * once and kept in {@code DS01_DATA_DIR/session.key}, so sessions survive restarts.
     */
    Optional<String> key();

    /** Failed sign-ins (per user name or per address) after which each further attempt is slowed down. */
    @WithDefault("3")
    int slowAfterFailures();

    /** Failed sign-ins within {@link #failureWindow()} after which sign-in is refused for that window. */
    @WithDefault("10")
    int refuseAfterFailures();

    @WithDefault("15m")
    Duration failureWindow();

    /**
     * How many times more failures one address may have than one user name before the same brakes apply:
     * a whole lab building can share one address.
     */
    @WithDefault("5")
    int addressAllowance();
}
