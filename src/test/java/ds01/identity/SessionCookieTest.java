package ds01.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A session cookie opens only if this portal sealed it with its key, unaltered. */
class SessionCookieTest {

    private static SessionCookie cookies(String key) {
        return new SessionCookie(new SessionKey(new FixedConfig(key), "unused"));
    }

    @Test
    void roundTripsAndRefusesTamperingOrAnotherKey() {
        String keyA = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        String keyB = Base64.getEncoder().encodeToString(other);
        SessionCookie a = cookies(keyA);
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        SessionCookie.Session session = SessionCookie.Session.begin("ds01alice", "pam", now);
        String sealed = a.seal(session);
        assertThat(a.open(sealed)).contains(session);
        assertThat(SessionCookie.Session.begin("ds01alice", "pam", now).id()).as("each sign-in a new id")
                .isNotEqualTo(session.id());
        assertThat(sealed).doesNotContain("ds01alice");

        char[] chars = sealed.toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        assertThat(a.open(new String(chars))).as("one character changed").isEmpty();
        assertThat(cookies(keyB).open(sealed)).as("sealed with another key").isEmpty();
        assertThat(a.open("not base64 at all!")).isEmpty();
        assertThat(a.open("")).isEmpty();
        assertThat(a.open("x".repeat(5000))).isEmpty();
    }

    @Test
    void aConfiguredKeyMustBe32Base64Bytes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cookies("c2hvcnQ="))
                .hasMessageContaining("must be 32 bytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cookies("%%%"))
                .hasMessageContaining("not base64");
    }

    @Test
    void nextAfterSignInStaysOnThePortal() {
        assertThat(SignInResource.safeNext("/admin/limits?user=x")).isEqualTo("/admin/limits?user=x");
        assertThat(SignInResource.safeNext("//evil.example/")).isEqualTo("/");
        assertThat(SignInResource.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(SignInResource.safeNext("/\\evil")).isEqualTo("/");
        assertThat(SignInResource.safeNext("/ok\r\nSet-Cookie: x")).isEqualTo("/");
        assertThat(SignInResource.safeNext(null)).isEqualTo("/");
    }

    /** SessionConfig with a fixed key and DS01's defaults. */
    record FixedConfig(String keyValue) implements SessionConfig {
        public Duration idleTimeout() { return Duration.ofHours(8); }
        public Duration maxAge() { return Duration.ofDays(7); }
        public Optional<String> key() { return Optional.of(keyValue); }
        public int slowAfterFailures() { return 3; }
        public int refuseAfterFailures() { return 10; }
        public Duration failureWindow() { return Duration.ofMinutes(15); }
        public int addressAllowance() { return 5; }
    }
}
