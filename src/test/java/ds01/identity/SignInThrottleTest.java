package ds01.identity;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Guessing is slowed after a few failures, refused after many, and forgiven when the window has passed. */
class SignInThrottleTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    @Test
    void slowsThenRefusesThenForgives() {
        MovableClock clock = new MovableClock();
        SignInThrottle throttle = new SignInThrottle(new SessionCookieTest.FixedConfig("x"), clock);
        for (int i = 0; i < 2; i++) {
            throttle.failed("ds01alice", "10.0.0.1");
        }
        assertThat(throttle.delay("ds01alice", "10.0.0.1")).isZero();
        throttle.failed("ds01alice", "10.0.0.1");
        assertThat(throttle.delay("ds01alice", "10.0.0.9")).as("per user name").isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.delay("ds01bob", "10.0.0.1")).as("an address may fail five times as often").isZero();
        for (int i = 0; i < 7; i++) {
            throttle.failed("ds01alice", "10.0.0.1");
        }
        assertThat(throttle.delay("ds01alice", "10.0.0.2")).isEqualTo(Duration.ofSeconds(5));
        assertThat(throttle.refusedUntil("ds01alice", "10.0.0.2")).contains(Instant.parse("2026-11-28T10:15:00Z"));
        assertThat(throttle.refusedUntil("ds01carol", "10.0.0.1")).as("10 failures from one address").isEmpty();
        for (int i = 0; i < 40; i++) {
            throttle.failed("guess" + i, "10.0.0.1");
        }
        assertThat(throttle.refusedUntil("ds01carol", "10.0.0.1")).as("50 failures from one address").isPresent();
        assertThat(throttle.refusedUntil("ds01carol", "10.0.0.3")).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        assertThat(throttle.refusedUntil("ds01alice", "10.0.0.1")).isEmpty();
        assertThat(throttle.delay("ds01alice", "10.0.0.1")).isZero();
    }

    @Test
    void aGoodSignInClearsTheUsersCount() {
        SignInThrottle throttle = new SignInThrottle(new SessionCookieTest.FixedConfig("x"), new MovableClock());
        for (int i = 0; i < 5; i++) {
            throttle.failed("ds01alice", "10.0.0.1");
        }
        throttle.succeeded("ds01alice");
        assertThat(throttle.delay("ds01alice", "10.0.0.7")).isZero();
    }
}
