package ds01.identity;

import ds01.events.Actor;
import ds01.events.AuditLog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's {@code ~/.ssh/authorized_keys}, read and written as the user (mode 600 in a 700 directory, as sshd
 * requires). Keys added here are appended; lines the user wrote themselves are kept as they are.
 */
@ApplicationScoped
public class AuthorizedKeys {

    private final AuditLog auditLog;
    private final UserFiles userFiles;

    public AuthorizedKeys(AuditLog auditLog, UserFiles userFiles) {
        this.auditLog = auditLog;
        this.userFiles = userFiles;
    }

    private static Path directory(HostAccount account) {
        return Path.of(account.home(), ".ssh");
    }

    /** @throws WebApplicationException 409 when the user themselves could not read it (a link elsewhere, modes) */
    private List<String> lines(HostAccount account) {
        try {
            return userFiles.read(account, directory(account).resolve("authorized_keys"))
                    .map(text -> List.of(text.split("\n"))).orElse(List.of());
        } catch (IllegalStateException e) {
            throw new WebApplicationException("~/.ssh/authorized_keys cannot be read as you, so the portal leaves it "
                    + "alone: " + e.getMessage() + ". Fix it (ls -l ~/.ssh), then come back.", e, 409);
        }
    }

    /** The keys in the file that the portal can read as plain keys (lines with options are the user's own business). */
    public List<SshPublicKey> of(HostAccount account) {
        return keys(lines(account));
    }

    private static List<SshPublicKey> keys(List<String> lines) {
        List<SshPublicKey> keys = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(SshPublicKey.parse(line));
            } catch (IllegalArgumentException notPlain) {
                // a line the user wrote with options, or an old key type: theirs to keep, not ours to list
            }
        }
        return keys;
    }

    /** @throws WebApplicationException 409 when the key is there already */
    public void add(HostAccount account, SshPublicKey key) {
        List<String> lines = new ArrayList<>(lines(account));
        if (keys(lines).stream().anyMatch(k -> k.blob().equals(key.blob()))) {
            throw new WebApplicationException("This key (" + key.fingerprint() + ") is registered already.", 409);
        }
        lines.removeIf(String::isEmpty);
        lines.add(key.line());
        userFiles.replacePrivate(account, directory(account), "authorized_keys", String.join("\n", lines) + "\n");
        auditLog.record(Actor.user(account.username()), "ssh.key-add", account.username(), key.kind() + " "
                + key.fingerprint());
    }

    /** @throws NotFoundException when no key has this fingerprint */
    public void remove(HostAccount account, String fingerprint) {
        List<String> kept = new ArrayList<>();
        boolean removed = false;
        for (String line : lines(account)) {
            SshPublicKey key = null;
            try {
                key = line.isBlank() || line.startsWith("#") ? null : SshPublicKey.parse(line);
            } catch (IllegalArgumentException notPlain) {
                // kept below as it is
            }
            if (key != null && key.fingerprint().equals(fingerprint)) {
                removed = true;
            } else if (!line.isEmpty()) {
                kept.add(line);
            }
        }
        if (!removed) {
            throw new NotFoundException("You have no key " + fingerprint + ".");
        }
        userFiles.replacePrivate(account, directory(account), "authorized_keys", kept.isEmpty() ? ""
                : String.join("\n", kept) + "\n");
        auditLog.record(Actor.user(account.username()), "ssh.key-remove", account.username(), fingerprint);
    }
}
