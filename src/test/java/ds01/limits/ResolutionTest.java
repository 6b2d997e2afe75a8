package ds01.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ResolutionTest {

    static final String FILE = """
            defaults:
              max_cpus: 16
              memory: 32g
              idle_timeout: 30m
              max_containers_per_user: 3
              priority: 10
            default_group: student
            groups:
              student:
                members: [alice, carol]
              researcher:
                members: [bob, carol, dave]
                max_cpus: 32
                idle_timeout_h: 1
                priority: 50
              teaching:
                members: [dave, erin]
                priority: 50
                max_containers_per_user: null
              faculty:
                members: [erin]
                priority: 50
            user_overrides:
              bob:
                max_cpus: 64
                idle_timeout: null
              frank:
                group: researcher
                memory: 8g
            """;

    final LimitsFile limits = LimitsFileReader.parse(FILE, "test.yaml");

    @Test
    void overrideBeatsGroupBeatsDefaults() {
        EffectiveLimits bob = limits.effectiveFor("bob");
        assertEquals(Limit.of(64.0), bob.maxCpus().value());
        assertEquals("override", bob.maxCpus().source());
        assertEquals(Limit.of(50), bob.priority().value());
        assertEquals("group researcher", bob.priority().source());
        assertEquals(Limit.of(32L << 30), bob.memory().value());
        assertEquals("default", bob.memory().source());
        assertEquals(Limit.of(4096), bob.pidsLimit().value());
        assertEquals("built-in", bob.pidsLimit().source());
    }

    @Test
    void explicitNullOverridesALowerLayer() {
        EffectiveLimits bob = limits.effectiveFor("bob");
        assertTrue(bob.idleTimeout().value().isUnbounded(), "null in the override disables the group's 1h");
        assertEquals("override", bob.idleTimeout().source());

        EffectiveLimits erin = limits.effectiveFor("erin");
        assertEquals(Optional.of("teaching"), erin.group());
        assertTrue(erin.maxContainersPerUser().value().isUnbounded());
        assertEquals("group teaching", erin.maxContainersPerUser().source());
    }

    @Test
    void absentKeyInherits() {
        EffectiveLimits alice = limits.effectiveFor("alice");
        assertEquals(Optional.of("student"), alice.group());
        assertEquals(Limit.of(Duration.ofMinutes(30)), alice.idleTimeout().value());
        assertEquals("default", alice.idleTimeout().source());
        assertEquals(Limit.of(3), alice.maxContainersPerUser().value());
    }

    @Test
    void severalGroupsHighestPriorityWins() {
        EffectiveLimits carol = limits.effectiveFor("carol");
        assertEquals(Optional.of("researcher"), carol.group());
        assertTrue(carol.membership().reason().startsWith("listed in members of student, researcher;"),
                carol.membership().reason());
        assertEquals(Limit.of(Duration.ofHours(1)), carol.idleTimeout().value());
    }

    @Test
    void severalGroupsOfEqualPriorityFirstInFileWins() {
        assertEquals(Optional.of("researcher"), limits.effectiveFor("dave").group());
        assertEquals(Optional.of("teaching"), limits.effectiveFor("erin").group());
    }

    @Test
    void overrideCanPinAGroup() {
        EffectiveLimits frank = limits.effectiveFor("frank");
        assertEquals(Optional.of("researcher"), frank.group());
        assertEquals("pinned by user_overrides.frank.group", frank.membership().reason());
        assertEquals(Limit.of(32.0), frank.maxCpus().value());
        assertEquals(Limit.of(8L << 30), frank.memory().value());
    }

    @Test
    void unlistedUserGetsDefaultGroup() {
        EffectiveLimits zoe = limits.effectiveFor("zoe");
        assertEquals(Optional.of("student"), zoe.group());
        assertEquals("in no members list, so default_group", zoe.membership().reason());
    }

    @Test
    void withoutDefaultGroupOnlyDefaultsApply() {
        LimitsFile f = LimitsFileReader.parse("defaults:\n  max_cpus: 4\n", "x.yaml");
        EffectiveLimits zoe = f.effectiveFor("zoe");
        assertEquals(Optional.empty(), zoe.group());
        assertEquals(Limit.of(4.0), zoe.maxCpus().value());
    }

    @Test
    void groupPoliciesBeatTopLevelPoliciesBeatBuiltIn() {
        LimitsFile f = LimitsFileReader.parse("""
                policies:
                  gpu_idle_threshold: 10
                  grace_period_m: 45
                groups:
                  researcher:
                    members: [bob]
                    policies:
                      gpu_idle_threshold: 3
                """, "x.yaml");
        EffectiveLimits bob = f.effectiveFor("bob");
        assertEquals(Limit.of(3.0), bob.get(LimitKey.GPU_IDLE_THRESHOLD).value());
        assertEquals("group researcher", bob.get(LimitKey.GPU_IDLE_THRESHOLD).source());
        assertEquals(Limit.of(Duration.ofMinutes(45)), bob.get(LimitKey.GRACE_PERIOD).value());
        assertEquals("default", bob.get(LimitKey.GRACE_PERIOD).source());
        assertEquals(Limit.of(Duration.ofSeconds(60)), bob.get(LimitKey.SIGTERM_GRACE).value());
        assertEquals("built-in", bob.get(LimitKey.SIGTERM_GRACE).source());
    }

    @Test
    void suffixedAndPlainDurationsAreTheSameKey() {
        LimitsFile a = LimitsFileReader.parse("defaults:\n  idle_timeout_h: 0.5\n", "a.yaml");
        LimitsFile b = LimitsFileReader.parse("defaults:\n  idle_timeout: 30m\n", "b.yaml");
        assertEquals(a.defaults(), b.defaults());
    }

    @Test
    void reservationInAnOverride() {
        LimitsFile f = LimitsFileReader.parse("""
                user_overrides:
                  john_doe:
                    max_mig_instances: 1
                    reservation_start: "2025-11-01T00:00:00"
                    reservation_end: 2025-11-08
                    reserved_gpus: [0, "1.2"]
                    reason: "Thesis deadline"
                """, "x.yaml");
        Reservation r = f.effectiveFor("john_doe").reservation().orElseThrow();
        assertEquals(java.util.List.of("0", "1.2"), r.gpus());
        assertEquals("Thesis deadline", r.reason());
        assertTrue(r.isActiveAt(java.time.LocalDateTime.parse("2025-11-07T23:00:00")));
        assertTrue(!r.isActiveAt(java.time.LocalDateTime.parse("2025-11-08T00:00:00")));
    }

    @Test
    void hostGroupsPlaceUsersThatNoMembersListNames() {
        LimitsFile f = LimitsFileReader.parse("""
                default_group: student
                groups:
                  student: {priority: 10}
                  researcher: {priority: 50, max_cpus: 48, members: [rita]}
                  faculty: {priority: 70}
                """, "x.yaml");
        var map = HostGroupMap.parse("ds01-researchers=researcher, ds01-faculty=faculty", f);
        EffectiveLimits bob = f.effectiveFor("bob", java.util.Set.of("ds01-researchers", "users"), map);
        assertEquals(java.util.Optional.of("researcher"), bob.group());
        assertEquals("in no members list; host group ds01-researchers maps to researcher", bob.membership().reason());
        assertEquals(Limit.of(48.0), bob.maxCpus().value());
        EffectiveLimits both = f.effectiveFor("ann", java.util.Set.of("ds01-researchers", "ds01-faculty"), map);
        assertEquals(java.util.Optional.of("faculty"), both.group(), "highest priority wins");
        EffectiveLimits rita = f.effectiveFor("rita", java.util.Set.of("ds01-faculty"), map);
        assertEquals(java.util.Optional.of("researcher"), rita.group(), "members lists come first");
        assertEquals(java.util.Optional.of("student"), f.effectiveFor("carl", java.util.Set.of("users"), map).group());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HostGroupMap.parse("ds01-x=wizards", f));
        org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().contains("not a group of the limits file"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HostGroupMap.parse("no-equals-sign", f));
    }
}
