package ds01.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** DS01's real files, byte for byte, load and resolve as DS01 meant them. */
class UpstreamFilesTest {

    static final Path FIXTURES = Path.of("testing/fixtures/ds01-upstream");

    static LimitsFile load(String name) {
        return LimitsFileReader.read(FIXTURES.resolve(name));
    }

    @Test
    void seedEra() {
        LimitsFile f = load("resource-limits.seed-era.yaml");
        assertEquals(Optional.of("student"), f.defaultGroup());
        assertEquals(List.of("student", "researcher", "admin"), List.copyOf(f.groups().keySet()));
        assertTrue(f.userOverrides().isEmpty(), "user_overrides: with only comments is empty");

        EffectiveLimits researcher = pinned(f, "researcher");
        // max_mig_instances counts slots; the seed-era file has no GPU-equivalent quota
        assertEquals(Limit.of(8), researcher.maxMigInstances().value());
        assertEquals("group researcher", researcher.maxMigInstances().source());
        assertTrue(researcher.maxGpuEquivalents().value().isUnbounded());
        assertEquals("built-in", researcher.maxGpuEquivalents().source());
        assertEquals(Limit.none(), researcher.maxRuntime().value(), "max_runtime: null disables it");
        assertEquals(Limit.of(32.0), researcher.maxCpus().value());
        assertEquals(Limit.of(64L << 30), researcher.memory().value());

        EffectiveLimits admin = f.effectiveFor("datasciencelab");
        assertEquals(Optional.of("admin"), admin.group());
        assertEquals("listed in members of admin", admin.membership().reason());
        assertTrue(admin.maxMigInstances().value().isUnbounded());
        assertEquals("group admin", admin.maxMigInstances().source());
        assertEquals(Limit.of(Duration.ofMinutes(30)), admin.idleTimeout().value(), "commented out: from defaults");
        assertEquals("default", admin.idleTimeout().source());
        assertEquals(Limit.of(90), admin.priority().value());

        EffectiveLimits someone = f.effectiveFor("alice");
        assertEquals(Optional.of("student"), someone.group());
        assertEquals(Limit.of(2), someone.maxMigInstances().value());
        assertEquals("default", someone.maxMigInstances().source());
        assertEquals(Limit.of(Duration.ofMinutes(30)), someone.idleTimeout().value());
        assertEquals(Limit.of(Duration.ofHours(12)), someone.maxRuntime().value());
        assertEquals(Limit.of(Duration.ofMinutes(30)), someone.gpuHoldAfterStop().value());
        assertEquals("built-in", someone.containerHoldAfterStop().source());

        assertEquals(AllocationStrategy.LEAST_ALLOCATED, f.gpuAllocation().strategy());
        assertTrue(f.gpuAllocation().respectReservations());

        List<String> ignored = f.ignoredKeys().stream().map(IgnoredKey::path).toList();
        assertTrue(ignored.contains("defaults.storage_workspace"), ignored.toString());
        assertTrue(ignored.contains("defaults.gpu_memory"), ignored.toString());
        assertTrue(ignored.contains("groups.researcher.max_tasks"), ignored.toString());
        assertTrue(ignored.contains("gpu_allocation.mig_gpus"), ignored.toString());
        assertTrue(ignored.contains("policies.auto_stop_idle"), ignored.toString());
        assertTrue(ignored.contains("wizard"), ignored.toString());
        assertTrue(ignored.contains("advanced"), ignored.toString());
        assertEquals(new IgnoredKey("defaults.storage_workspace", 20), f.ignoredKeys().stream()
                .filter(k -> k.path().equals("defaults.storage_workspace")).findFirst().orElseThrow());
    }

    @Test
    void current() {
        LimitsFile f = load("resource-limits.current.yaml");
        EffectiveLimits student = f.effectiveFor("alice");
        assertEquals(Optional.of("student"), student.group());
        assertEquals("in no members list, so default_group", student.membership().reason());
        assertEquals(Limit.of(2.0), student.maxGpuEquivalents().value());
        assertEquals(Limit.of(2), student.maxGpuSlotsPerContainer().value());
        assertEquals(Limit.of(Duration.ofMinutes(30)), student.idleTimeout().value(), "idle_timeout_h: 0.5");
        assertEquals(Limit.of(Duration.ofHours(24)), student.maxRuntime().value());
        assertEquals(Limit.of(Duration.ofMinutes(15)), student.gpuHoldAfterStop().value());
        assertEquals(Limit.of(3), student.get(LimitKey.IDLE_DETECTION_WINDOW).value());
        assertEquals("group student", student.get(LimitKey.IDLE_DETECTION_WINDOW).source());
        assertEquals(Limit.of(0.8), student.get(LimitKey.HIGH_DEMAND_THRESHOLD).value());
        assertEquals("default", student.get(LimitKey.HIGH_DEMAND_THRESHOLD).source());

        Group researcher = f.groups().get("researcher");
        assertEquals(Optional.of(Limit.of(Duration.ofHours(1))), researcher.limits().get(LimitKey.IDLE_TIMEOUT));
        assertEquals(Optional.of(Limit.of(48.0)), researcher.limits().get(LimitKey.MAX_CPUS));
        assertEquals(Optional.of(Limit.of(4)), researcher.policies().get(LimitKey.IDLE_DETECTION_WINDOW));
        assertTrue(f.groups().get("admin").limits().get(LimitKey.MAX_GPU_EQUIVALENTS).orElseThrow().isUnbounded());

        assertEquals(Optional.of(Limit.none()), f.containerTypes().get("devcontainer").get(LimitKey.IDLE_TIMEOUT));
        assertEquals(Optional.of(Limit.of(Duration.ofHours(168))),
                f.containerTypes().get("devcontainer").get(LimitKey.MAX_RUNTIME));
        assertEquals(Optional.of(Limit.of(Duration.ofSeconds(30))),
                f.containerTypes().get("devcontainer").get(LimitKey.SIGTERM_GRACE));

        assertEquals(Optional.of(Limit.of(Duration.ofMinutes(30))), f.policies().get(LimitKey.GRACE_PERIOD));
        assertEquals(Optional.of(Limit.of(Duration.ofHours(24))), f.policies().get(LimitKey.KEEPALIVE_MAX_DURATION));
        assertEquals(Optional.of(Limit.of(1048576L)), f.policies().get(LimitKey.NETWORK_IDLE_THRESHOLD));
        assertEquals(List.of("datasciencelab"), f.accessControl().adminUsers());
        assertEquals(Optional.of("ds01-admin"), f.accessControl().adminGroup());

        List<String> ignored = f.ignoredKeys().stream().map(IgnoredKey::path).toList();
        for (String key : List.of("defaults.max_tasks", "enforcement", "groups.student.aggregate", "monitoring",
                "bare_metal_access", "access_control.wrapper")) {
            assertTrue(ignored.contains(key), key + " in " + ignored);
        }
    }

    private static EffectiveLimits pinned(LimitsFile f, String group) {
        // the seed-era file lists no researchers; pin one through an override to read the group's values
        LimitsFile withOverride = new LimitsFile(f.defaults(), f.groups(),
                java.util.Map.of("rita", new UserOverride("rita", Optional.of(group), LimitLayer.EMPTY,
                        Optional.empty())),
                f.defaultGroup(), f.gpuAllocation(), f.policies(), f.accessControl(), f.containerTypes(),
                f.ignoredKeys());
        return withOverride.effectiveFor("rita");
    }

    @Test
    void testFile() {
        LimitsFile f = load("resource-limits.test.yaml");
        assertEquals(Optional.of("students"), f.defaultGroup());

        EffectiveLimits special = f.effectiveFor("special_user");
        assertEquals(Optional.of("students"), special.group());
        assertEquals(Limit.of(Duration.ofMinutes(3)), special.maxRuntime().value());
        assertEquals("override", special.maxRuntime().source());
        assertEquals(Limit.of(4), special.maxMigInstances().value());
        assertEquals(Limit.of(90), special.priority().value());
        assertEquals(Limit.of(8.0), special.maxCpus().value());
        assertEquals("group students", special.maxCpus().source());

        EffectiveLimits student = f.effectiveFor("student1");
        assertEquals(Limit.of(Duration.ofSeconds(36)), student.idleTimeout().value());
        assertEquals("default", student.idleTimeout().source());
        assertEquals(Limit.of(Duration.ofSeconds(72)), student.maxRuntime().value());

        EffectiveLimits admin = f.effectiveFor("admin1");
        assertEquals(Optional.of("admins"), admin.group());
        assertTrue(admin.maxMigInstances().value().isUnbounded());
        assertEquals("group admins", admin.maxMigInstances().source());
        assertTrue(f.ignoredKeys().isEmpty(), f.ignoredKeys().toString());
    }

    @Test
    void shippedFileUsesEveryKeyItHas() {
        LimitsFile f = LimitsFileReader.read(Path.of("config/resource-limits.yaml"));
        assertEquals(List.of(), f.ignoredKeys());
        assertEquals(Optional.of("student"), f.defaultGroup());
        assertEquals(Limit.of(Duration.ofMinutes(30)), f.effectiveFor("alice").idleTimeout().value());
    }
}
