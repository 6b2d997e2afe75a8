package ds01.identity;

import ds01.web.Printable;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SSH public key a user registers, checked the way sshd would read it and more strictly: exactly
 * {@code type base64 [comment]}, a type sshd accepts, a blob that is a key of that type (RSA of 2048 bits or more),
 * a comment of plain printable text. Private keys, {@code authorized_keys} options ({@code command=},
 * {@code from=}, ...) and anything else are refused with what was wrong: a line written to
 * {@code authorized_keys} decides what may log in as the user.
 */
public record SshPublicKey(String type, String blob, String comment) {

    private static final Map<String, String> TYPES = Map.of(
            "ssh-ed25519", "Ed25519",
            "ssh-rsa", "RSA",
            "ecdsa-sha2-nistp256", "ECDSA P-256",
            "ecdsa-sha2-nistp384", "ECDSA P-384",
            "ecdsa-sha2-nistp521", "ECDSA P-521",
            "sk-ssh-ed25519@openssh.com", "Ed25519 security key",
            "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA security key");
    private static final Pattern LINE = Pattern.compile("(\\S+) ([A-Za-z0-9+/]+={0,2})(?: ([\\x20-\\x7e]{0,100}))?");

    /** @throws IllegalArgumentException saying what the text is instead of a public key */
    public static SshPublicKey parse(String text) {
        String line = text == null ? "" : text.strip();
        if (line.contains("PRIVATE KEY") || line.startsWith("PuTTY-User-Key-File")) {
            throw new IllegalArgumentException("This is a private key. Never give it to anyone, this portal included: "
                    + "paste the public key, the one-line .pub file (e.g. ~/.ssh/id_ed25519.pub).");
        }
        if (line.contains("\n") || line.contains("\r")) {
            throw new IllegalArgumentException("Paste one key, on one line.");
        }
        String first = line.split("[ \\t]", 2)[0];
        if (!TYPES.containsKey(first) && TYPES.keySet().stream().anyMatch(t -> line.contains(" " + t + " "))) {
            throw new IllegalArgumentException("authorized_keys options (command=, from=, no-pty, ...) are not taken: "
                    + "paste the key alone, starting with its type (e.g. ssh-ed25519).");
        }
        Matcher m = LINE.matcher(line.replaceAll("[ \\t]+", " "));
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + Printable.of(line) + "\" is not an SSH public key: expected "
                    + "\"ssh-ed25519 AAAA... comment\", as in your ~/.ssh/id_ed25519.pub.");
        }
        String type = m.group(1);
        if (!TYPES.containsKey(type)) {
            throw new IllegalArgumentException("\"" + Printable.of(type) + "\" is not a key type the portal takes"
                    + (type.contains("=") || type.contains("\"") ? " (authorized_keys options such as command= or from= "
                    + "are not taken)" : "") + ": use ssh-ed25519 (ssh-keygen -t ed25519), ECDSA, or RSA of 2048 bits "
                    + "or more.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key's base64 part is damaged; copy the whole line again.");
        }
        checkBlob(type, ByteBuffer.wrap(decoded));
        return new SshPublicKey(type, m.group(2), m.group(3) == null ? "" : m.group(3).strip());
    }

    private static void checkBlob(String type, ByteBuffer blob) {
        try {
            String inner = new String(string(blob), StandardCharsets.US_ASCII);
            if (!inner.equals(type)) {
                throw new IllegalArgumentException("The key says it is " + type + " but holds a " + Printable.of(inner)
                        + " key; copy the whole line again.");
            }
            switch (type) {
                case "ssh-ed25519", "sk-ssh-ed25519@openssh.com" -> {
                    if (string(blob).length != 32) {
                        throw new IllegalArgumentException("An Ed25519 key has 32 bytes; this one is damaged.");
                    }
                }
                case "ssh-rsa" -> {
                    string(blob); // the public exponent
                    int bits = new BigInteger(1, string(blob)).bitLength();
                    if (bits < 2048) {
                        throw new IllegalArgumentException("This RSA key has " + bits + " bits; make one of 2048 or more "
                                + "(ssh-keygen -t rsa -b 4096), or better an Ed25519 key (ssh-keygen -t ed25519).");
                    }
                }
                default -> {
                    string(blob); // the curve name
                    if (string(blob).length < 32) {
                        throw new IllegalArgumentException("This ECDSA key is damaged.");
                    }
                }
            }
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("The key's data ends too early; copy the whole line again.");
        }
    }

    /** SSH's wire format: a 4-byte length, then that many bytes. */
    private static byte[] string(ByteBuffer blob) {
        int length = blob.getInt();
        if (length > blob.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] out = new byte[length];
        blob.get(out);
        return out;
    }

    /** As ssh-keygen -l shows it: SHA256 of the blob, base64 without padding. */
    public String fingerprint() {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(blob)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String kind() {
        return TYPES.get(type);
    }

    /** The authorized_keys line: nothing but the key and its comment. */
    public String line() {
        return type + " " + blob + (comment.isEmpty() ? "" : " " + comment);
    }
}
