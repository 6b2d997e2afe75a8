package ds01.identity;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The AES key that seals session cookies: configured, or generated once and kept beside the portal's data. */
@ApplicationScoped
public class SessionKey {

    private final SecretKey key;

    public SessionKey(SessionConfig config, @ConfigProperty(name = "ds01.data-dir") String dataDir) {
        byte[] bytes = config.key().map(SessionKey::decode).orElseGet(() -> stored(Path.of(dataDir, "session.key")));
        this.key = new SecretKeySpec(bytes, "AES");
    }

    SecretKey key() {
        return key;
    }

    private static byte[] decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DS01_SESSION_KEY is not base64 (make one with: head -c32 /dev/urandom | base64)", e);
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("DS01_SESSION_KEY must be 32 bytes, base64-encoded; it has " + bytes.length);
        }
        return bytes;
    }

    private static byte[] stored(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file));
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(bytes));
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the session key " + file, e);
        }
    }
}
