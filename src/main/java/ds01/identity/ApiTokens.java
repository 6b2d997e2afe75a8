package ds01.identity;

import ds01.events.Actor;
import ds01.events.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Personal API tokens: made and revoked by their owner, checked on every API call that carries one. */
@ApplicationScoped
public class ApiTokens {

    static final String PREFIX = "ds01_";
    private static final int MAX_DAYS = 3650;

    private final AuditLog auditLog;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** A token just made: the secret, shown to its owner once, and its record. */
    public record Created(String secret, ApiToken token) {
    }

    /**
     * @param validDays empty for a token without expiry
     * @throws BadRequestException for a name or lifetime a student must fix
     */
    @Transactional
    public Created create(HostAccount owner, String name, Optional<Integer> validDays) {
        String clean = name == null ? "" : name.strip();
        if (!clean.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")) {
            throw new BadRequestException("A token name is 1 to 64 letters, digits, spaces, dots, dashes or "
                    + "underscores, starting with a letter or digit, e.g. \"laptop\" or \"ci-runner\".");
        }
        if (validDays.isPresent() && (validDays.get() < 1 || validDays.get() > MAX_DAYS)) {
            throw new BadRequestException("A token is valid for 1 to " + MAX_DAYS + " days, or leave it empty for "
                    + "no expiry.");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken token = new ApiToken();
        token.owner = PortalUser.of(owner);
        token.name = clean;
        token.tokenHash = hash(secret);
        token.prefix = secret.substring(0, 10);
        token.createdAt = OffsetDateTime.now();
        token.expiresAt = validDays.map(days -> token.createdAt.plus(Duration.ofDays(days))).orElse(null);
        token.persist();
        auditLog.record(Actor.user(owner.username()), "token.create", "token " + token.id + " (" + clean + ")",
                token.expiresAt == null ? "no expiry" : "expires " + token.expiresAt);
        return new Created(secret, token);
    }

    /** @throws NotFoundException when {@code username} has no token with this id (someone else's included) */
    @Transactional
    public void revoke(String username, long id, Actor actor) {
        ApiToken token = ApiToken.<ApiToken>findByIdOptional(id)
                .filter(t -> t.owner.username.equals(username))
                .orElseThrow(() -> new NotFoundException("You have no API token number " + id + "."));
        if (token.revokedAt == null) {
            token.revokedAt = OffsetDateTime.now();
            auditLog.record(actor, "token.revoke", "token " + id + " (" + token.name + ") of " + username, null);
        }
    }

    /** The owner of a token that is valid now, marking it used; empty for unknown, revoked or expired tokens. */
    @Transactional
    public Optional<String> ownerOf(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now();
        return ApiToken.byHash(hash(secret)).filter(t -> t.isUsableAt(now)).map(t -> {
            t.lastUsedAt = now;
            return t.owner.username;
        });
    }

    @Transactional
    public List<ApiToken> of(String username) {
        return ApiToken.ownedBy(username);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
