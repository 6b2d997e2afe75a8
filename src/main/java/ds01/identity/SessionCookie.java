package ds01.identity;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A signed-in session as it travels in the browser: its random id, user name, how they signed in, when, and
 * when last seen, sealed with AES-GCM so it can be neither read nor altered; a tampered cookie simply does not
 * open. The id is what signing out records ({@link EndedSessions}), so a copy of the cookie dies with it.
 */
@ApplicationScoped
public class SessionCookie {

    public static final String NAME = "ds01-session";
    private static final int NONCE_BYTES = 12;

    private static final int ID_BYTES = 16;
    private static final SecureRandom IDS = new SecureRandom();

    /** What the cookie holds. {@code method} is "pam" or "oidc". */
    public record Session(String id, String username, String method, Instant signedInAt, Instant lastSeen) {

        /** A new session, with an id no one chose: a cookie planted before sign-in is never the one after. */
        public static Session begin(String username, String method, Instant now) {
            byte[] id = new byte[ID_BYTES];
            IDS.nextBytes(id);
            return new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(id), username, method, now, now);
        }

        public Session seenAt(Instant now) {
            return new Session(id, username, method, signedInAt, now);
        }
    }

    private final SessionKey key;
    private final SecureRandom random = new SecureRandom();

    public SessionCookie(SessionKey key) {
        this.key = key;
    }

    public String seal(Session session) {
        String plain = String.join("\n", session.id(), session.username(), session.method(),
                String.valueOf(session.signedInAt().getEpochSecond()), String.valueOf(session.lastSeen().getEpochSecond()));
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** The session in a cookie value, or empty when the value was not made by this portal with this key. */
    public Optional<Session> open(String value) {
        if (value == null || value.length() > 1024) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(value);
            if (bytes.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(128, bytes, 0, NONCE_BYTES));
            String plain = new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
            String[] parts = plain.split("\n", -1);
            if (parts.length != 5) {
                // also a cookie from before sessions had ids: one sign-in more
                return Optional.empty();
            }
            return Optional.of(new Session(parts[0], parts[1], parts[2], Instant.ofEpochSecond(Long.parseLong(parts[3])),
                    Instant.ofEpochSecond(Long.parseLong(parts[4]))));
        } catch (IllegalArgumentException | AEADBadTagException e) {
            // not base64, or not sealed by us: a stale, foreign or tampered cookie is no session
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }
}
