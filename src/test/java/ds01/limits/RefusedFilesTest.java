package ds01.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Every refusal names the file, the 1-based line, the dotted key and what was expected. */
class RefusedFilesTest {

    static final String FILE = "config/resource-limits.yaml";

    static LimitsFileException refused(String yaml) {
        return assertThrows(LimitsFileException.class, () -> LimitsFileReader.parse(yaml, FILE));
    }

    static void assertAt(LimitsFileException e, int line, String key) {
        assertEquals(FILE, e.file(), e.getMessage());
        assertEquals(OptionalInt.of(line), e.line(), e.getMessage());
        assertEquals(Optional.of(key), e.key(), e.getMessage());
    }

    @Test
    void wrongType() {
        LimitsFileException e = refused("""
                defaults:
                  max_cpus: 16
                groups:
                  researcher:
                    max_cpus: lots
                """);
        assertAt(e, 5, "groups.researcher.max_cpus");
        assertEquals("a number of CPUs", e.expected());
        assertEquals(Optional.of("lots"), e.got());
        assertEquals(FILE + " line 5, key groups.researcher.max_cpus: expected a number of CPUs, got \"lots\"",
                e.getMessage());
    }

    @Test
    void unknownDurationUnit() {
        LimitsFileException e = refused("defaults:\n  max_cpus: 4\n  idle_timeout: 3 weeks\n");
        assertAt(e, 3, "defaults.idle_timeout");
        assertEquals("an idle timeout like 30m, 0.5h or 48h", e.expected());
    }

    @Test
    void durationWithoutUnit() {
        assertAt(refused("defaults:\n  max_runtime: 48\n"), 2, "defaults.max_runtime");
    }

    @Test
    void hoursKeyWithText() {
        LimitsFileException e = refused("defaults:\n  idle_timeout_h: 30m\n");
        assertAt(e, 2, "defaults.idle_timeout_h");
        assertEquals("a number of hours", e.expected());
    }

    @Test
    void negativeLimit() {
        LimitsFileException e = refused("groups:\n  student:\n    max_containers_per_user: -1\n");
        assertAt(e, 3, "groups.student.max_containers_per_user");
        assertEquals("a number of containers, 0 or more", e.expected());
        assertEquals(Optional.of("-1"), e.got());
    }

    @Test
    void negativeDurationAndZeroCpus() {
        assertAt(refused("defaults:\n  gpu_hold_after_stop_h: -0.5\n"), 2, "defaults.gpu_hold_after_stop_h");
        assertAt(refused("defaults:\n  max_cpus: 0\n"), 2, "defaults.max_cpus");
    }

    @Test
    void sizeWithoutUnit() {
        LimitsFileException e = refused("defaults:\n  memory: 32\n");
        assertAt(e, 2, "defaults.memory");
        assertEquals("a memory size like 32g, 512m or 1T", e.expected());
    }

    @Test
    void defaultGroupThatDoesNotExist() {
        LimitsFileException e = refused("""
                groups:
                  student: {}
                  researcher: {}
                default_group: phd
                """);
        assertAt(e, 4, "default_group");
        assertEquals("the name of a group under groups (student, researcher)", e.expected());
        assertEquals(Optional.of("phd"), e.got());
    }

    @Test
    void overrideNamingAGroupThatDoesNotExist() {
        LimitsFileException e = refused("""
                groups:
                  student: {}
                user_overrides:
                  alice:
                    max_cpus: 8
                    group: phd
                """);
        assertAt(e, 6, "user_overrides.alice.group");
        assertEquals(Optional.of("phd"), e.got());
    }

    @Test
    void yamlSyntaxError() {
        LimitsFileException e = refused("""
                defaults:
                  max_cpus: 16
                  memory: [32g
                groups:
                  student: {}
                """);
        assertEquals(Optional.empty(), e.key());
        assertTrue(e.line().isPresent(), e.getMessage());
        assertTrue(e.getMessage().startsWith(FILE + " line " + e.line().getAsInt() + ": YAML syntax error"),
                e.getMessage());
    }

    @Test
    void badIndentationIsASyntaxErrorOnItsLine() {
        LimitsFileException e = refused("defaults:\n  max_cpus: 16\n   memory: 32g\n");
        assertEquals(OptionalInt.of(3), e.line(), e.getMessage());
    }

    @Test
    void nullWhereNullMeansNothing() {
        LimitsFileException e = refused("defaults:\n  priority: null\n");
        assertAt(e, 2, "defaults.priority");
        assertTrue(e.expected().contains("null is not allowed"), e.expected());
    }

    @Test
    void duplicateKeyAndTwoSpellingsOfOneKey() {
        assertAt(refused("defaults:\n  max_cpus: 4\n  max_cpus: 8\n"), 3, "defaults.max_cpus");
        LimitsFileException e = refused("defaults:\n  idle_timeout: 30m\n  idle_timeout_h: 1\n");
        assertAt(e, 3, "defaults.idle_timeout_h");
        assertTrue(e.expected().contains("idle_timeout is already on line 2"), e.expected());
    }

    @Test
    void badMemberName() {
        assertAt(refused("groups:\n  student:\n    members:\n      - alice\n      - Bob Smith\n"), 5,
                "groups.student.members");
    }

    @Test
    void listWhereANumberBelongs() {
        LimitsFileException e = refused("defaults:\n  max_cpus: [1, 2]\n");
        assertAt(e, 2, "defaults.max_cpus");
        assertEquals(Optional.of("a list"), e.got());
    }

    @Test
    void halfAReservation() {
        assertAt(refused("user_overrides:\n  alice:\n    reserved_gpus: [0]\n"), 2,
                "user_overrides.alice.reservation_start");
    }

    @Test
    void unknownStrategy() {
        assertAt(refused("gpu_allocation:\n  strategy: fastest\n"), 2, "gpu_allocation.strategy");
    }

    @Test
    void emptyOrNonMappingFile() {
        assertTrue(refused("").getMessage().contains("empty"));
        assertEquals(OptionalInt.of(1), refused("- a\n- b\n").line());
    }

    @Test
    void missingFile() {
        LimitsFileException e = assertThrows(LimitsFileException.class,
                () -> LimitsFileReader.read(Path.of("no/such/limits.yaml")));
        assertEquals("no/such/limits.yaml", e.file());
        assertEquals(OptionalInt.empty(), e.line());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
