package ds01.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service without Quarkus: start refuses a broken file, reload keeps the last good one. */
class LimitsReloadTest {

    @TempDir
    Path dir;

    static final String GOOD = "defaults:\n  max_cpus: 16\ndefault_group: student\ngroups:\n  student: {}\n";
    static final String BETTER = "defaults:\n  max_cpus: 24\ndefault_group: student\ngroups:\n  student: {}\n"
            + "  researcher:\n    members: [bob]\n";
    static final String BROKEN = "defaults:\n  max_cpus: lots\ndefault_group: student\ngroups:\n  student: {}\n";

    Path write(String text, Instant modified) throws IOException {
        Path file = dir.resolve("resource-limits.yaml");
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void brokenFileAtStartIsRefused() throws IOException {
        Path file = write(BROKEN, Instant.parse("2026-01-01T00:00:00Z"));
        LimitsFileException e = assertThrows(LimitsFileException.class,
                () -> new LimitsService(file, Clock.systemUTC()));
        assertEquals(OptionalInt.of(2), e.line());
        assertEquals(file.toString(), e.file());
    }

    @Test
    void brokenReloadKeepsTheLastGoodLimitsUntilFixed() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
        Path file = write(GOOD, Instant.parse("2026-01-01T09:00:00Z"));
        LimitsService service = new LimitsService(file, clock);
        assertEquals(Limit.of(16.0), service.forUser("alice", Set.of()).maxCpus().value());
        assertEquals(file, service.loadedFrom());
        assertEquals(clock.instant(), service.loadedAt());
        assertFalse(service.reloadIfChanged(), "unchanged file is not read again");

        write(BROKEN, Instant.parse("2026-01-01T09:01:00Z"));
        assertTrue(service.reloadIfChanged());
        assertEquals(Limit.of(16.0), service.forUser("alice", Set.of()).maxCpus().value(), "last good kept");
        ReloadError error = service.reloadError().orElseThrow();
        assertTrue(error.message().contains("line 2, key defaults.max_cpus"), error.message());
        assertFalse(service.reloadIfChanged(), "a broken file is reported once, not every tick");
        assertFalse(service.reload(), "reload now on the same broken file fails again");

        write(BETTER, Instant.parse("2026-01-01T09:02:00Z"));
        assertTrue(service.reloadIfChanged());
        assertTrue(service.reloadError().isEmpty(), "a good reload clears the error");
        assertEquals(Limit.of(24.0), service.forUser("alice", Set.of()).maxCpus().value());
        assertEquals(java.util.Optional.of("researcher"), service.forUser("bob", Set.of()).group());
    }

    @Test
    void deletedFileOnReloadKeepsTheLastGoodLimits() throws IOException {
        Path file = write(GOOD, Instant.parse("2026-01-01T09:00:00Z"));
        LimitsService service = new LimitsService(file, Clock.systemUTC());
        Files.delete(file);
        assertTrue(service.reloadIfChanged());
        assertTrue(service.reloadError().orElseThrow().message().contains("no such file"));
        assertEquals(Limit.of(16.0), service.current().defaults().get(LimitKey.MAX_CPUS).orElseThrow());
    }

    @Test
    void changesAreCounted() {
        LimitsFile before = LimitsFileReader.parse(GOOD, "a");
        LimitsFile after = LimitsFileReader.parse(BETTER, "b");
        assertEquals("defaults changed, 1 group added", LimitsChanges.between(before, after).toString());
        assertEquals("no changes", LimitsChanges.between(before, before).toString());
    }

    @Test
    void invalidUserNameIsACallerBug() throws IOException {
        LimitsService service = new LimitsService(write(GOOD, Instant.now()), Clock.systemUTC());
        assertThrows(IllegalArgumentException.class, () -> service.forUser("Robert'); DROP", Set.of()));
    }
}
