package ds01.limits;

import ds01.web.UserName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * The portal's one view of the limits file. Created at start ({@link Startup}), so a broken file
 * stops the portal with file, line and key; afterwards a broken file on reload keeps the last good
 * limits and is reported through {@link #reloadError()} until a good file replaces it.
 */
@ApplicationScoped
@Startup
public class LimitsService {

    private static final Logger LOG = Logger.getLogger(LimitsService.class);

    /** Fields are not final: ArC gives normal-scoped beans a no-args constructor for their proxy. */
    private Path file;
    private Clock clock;
    private volatile Snapshot snapshot;
    private volatile Optional<ReloadError> reloadError = Optional.empty();
    private FileStamp lastSeen;
    private Map<String, String> hostGroupMap = Map.of();

    private record Snapshot(LimitsFile limits, Instant loadedAt) {
    }

    /** What the watch compares; size as well as time, for editors that keep the modification time. */
    private record FileStamp(Instant modified, long size) {
        static final FileStamp MISSING = new FileStamp(Instant.EPOCH, -1);
    }

    @Inject
    public LimitsService(LimitsConfig config) {
        this(Path.of(config.file()), Clock.systemUTC());
        this.hostGroupMap = HostGroupMap.parse(config.hostGroups().orElse(""), snapshot.limits());
    }

    /** @throws LimitsFileException when the file cannot be used: the portal must not start on it */
    public LimitsService(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.lastSeen = stamp();
        LimitsFile limits = LimitsFileReader.read(file);
        this.snapshot = new Snapshot(limits, clock.instant());
        LOG.infof("Limits loaded from %s: %d groups, %d user overrides, default group %s", file,
                limits.groups().size(), limits.userOverrides().size(), limits.defaultGroup().orElse("(none)"));
        warnIgnored(limits, List.of());
    }

    /**
     * A user's effective limits. Group membership comes from the file's {@code members} lists, a
     * {@code group:} in the user's override, or {@code default_group}.
     *
     * @param hostGroups the user's host groups, placed in a limits group by {@code DS01_LIMITS_HOST_GROUPS}
     * @throws IllegalArgumentException for a string that is not a user name: callers validate at their edge
     */
    public EffectiveLimits forUser(String username, Set<String> hostGroups) {
        if (!UserName.isValid(username)) {
            throw new IllegalArgumentException("not " + UserName.DESCRIPTION + ": \"" + username + "\"");
        }
        return snapshot.limits().effectiveFor(username, hostGroups, hostGroupMap);
    }

    /** The limits in force: the last file that loaded without error. */
    public LimitsFile current() {
        return snapshot.limits();
    }

    /** Set while the file on disk is broken and older limits are in force; admins see it as a banner. */
    public Optional<ReloadError> reloadError() {
        return reloadError;
    }

    public Path loadedFrom() {
        return file;
    }

    public Instant loadedAt() {
        return snapshot.loadedAt();
    }

    public List<IgnoredKey> ignoredKeys() {
        return snapshot.limits().ignoredKeys();
    }

    /**
     * Reads the file again now (the admin's "reload now", and the watch when the file changed).
     *
     * @return whether the file loaded; when not, {@link #reloadError()} says why
     */
    public synchronized boolean reload() {
        lastSeen = stamp();
        Instant now = clock.instant();
        LimitsFile before = snapshot.limits();
        LimitsFile after;
        try {
            after = LimitsFileReader.read(file);
        } catch (LimitsFileException e) {
            reloadError = Optional.of(new ReloadError(e, now));
            LOG.errorf("Limits file refused on reload; the limits loaded at %s stay in force. %s",
                    snapshot.loadedAt(), e.getMessage());
            return false;
        }
        snapshot = new Snapshot(after, now);
        if (reloadError.isPresent()) {
            LOG.infof("Limits file %s is valid again", file);
        }
        reloadError = Optional.empty();
        LOG.infof("Limits reloaded from %s: %s", file, LimitsChanges.between(before, after));
        warnIgnored(after, before.ignoredKeys());
        return true;
    }

    /** Reloads when the file's modification time or size changed since it was last read. */
    public synchronized boolean reloadIfChanged() {
        if (stamp().equals(lastSeen)) {
            return false;
        }
        reload();
        return true;
    }

    private FileStamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.lastModifiedTime().toInstant(), a.size());
        } catch (IOException e) {
            // a missing file is a change like any other: the reload that follows reports it
            return FileStamp.MISSING;
        }
    }

    /** One warning per load, and only when the list differs from the previous load's. */
    private void warnIgnored(LimitsFile limits, List<IgnoredKey> before) {
        if (!limits.ignoredKeys().isEmpty() && !limits.ignoredKeys().equals(before)) {
            LOG.warnf("Limits file %s: the portal does not use these %d keys: %s", file, limits.ignoredKeys().size(),
                    limits.ignoredKeys());
        }
    }
}
