package ds01.limits;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One setting the portal reads from the limits file, with every spelling DS01 has used for it,
 * what {@code null} means for it, and the value that applies when no layer of the file sets it.
 *
 * <p>DS01's later schema moved durations to numeric keys with a unit suffix ({@code idle_timeout_h: 0.5});
 * both spellings land on the same key here. Its GPU quota changed meaning, not only name: the seed-era
 * {@code max_mig_instances} counts slots (a 1g.10gb slice and a whole GPU are one each), the later
 * {@code max_gpu_equivalents} weighs them (1/7 and 1). They stay two keys, so the allocator can apply the one
 * the file uses; neither has a built-in value, so a file that sets neither leaves GPU use unlimited.
 */
public final class LimitKey<T> {

    private static final String UNLIMITED = "unlimited";
    private static final String DISABLED = "disabled";

    // --- per user (defaults, groups, user_overrides) -----------------------------------------
    public static final LimitKey<Double> MAX_GPU_EQUIVALENTS = new LimitKey<>("max_gpu_equivalents",
            ValueKind.decimal("a number of GPU-equivalents", 0, false, Double.MAX_VALUE), UNLIMITED, Limit.none());
    public static final LimitKey<Integer> MAX_MIG_INSTANCES = new LimitKey<>("max_mig_instances",
            ValueKind.wholeNumber("a number of GPU slots (full GPUs or MIG devices)", 0, Integer.MAX_VALUE),
            UNLIMITED, Limit.none(), "max_gpu_slots");
    public static final LimitKey<Integer> MAX_GPU_SLOTS_PER_CONTAINER = new LimitKey<>("max_gpu_slots_per_container",
            ValueKind.wholeNumber("a number of GPU slots", 0, Integer.MAX_VALUE), UNLIMITED, Limit.of(1),
            "max_mig_per_container");
    public static final LimitKey<Boolean> ALLOW_FULL_GPU = new LimitKey<>("allow_full_gpu",
            ValueKind.yesNo("whether a full GPU may be requested"), null, Limit.of(true));
    public static final LimitKey<Double> MAX_CPUS = new LimitKey<>("max_cpus",
            ValueKind.decimal("a number of CPUs", 0, true, Double.MAX_VALUE), UNLIMITED, Limit.of(32.0));
    public static final LimitKey<Long> MEMORY = new LimitKey<>("memory",
            ValueKind.size("a memory size"), UNLIMITED, Limit.of(32L << 30));
    public static final LimitKey<Long> MEMORY_SWAP = new LimitKey<>("memory_swap",
            ValueKind.size("a memory+swap size"), UNLIMITED, Limit.of(32L << 30));
    public static final LimitKey<Long> SHM_SIZE = new LimitKey<>("shm_size",
            ValueKind.size("a shared memory size"), UNLIMITED, Limit.of(16L << 30));
    public static final LimitKey<Integer> PIDS_LIMIT = new LimitKey<>("pids_limit",
            ValueKind.wholeNumber("a number of processes", 1, Integer.MAX_VALUE), UNLIMITED, Limit.of(4096));
    public static final LimitKey<Integer> MAX_CONTAINERS_PER_USER = new LimitKey<>("max_containers_per_user",
            ValueKind.wholeNumber("a number of containers", 0, Integer.MAX_VALUE), UNLIMITED, Limit.of(3));
    public static final LimitKey<Duration> MAX_RUNTIME = new LimitKey<>("max_runtime",
            ValueKind.duration("a maximum runtime"), DISABLED, Limit.of(Duration.ofHours(24)));
    public static final LimitKey<Duration> IDLE_TIMEOUT = new LimitKey<>("idle_timeout",
            ValueKind.duration("an idle timeout"), DISABLED, Limit.of(Duration.ofMinutes(30)));
    public static final LimitKey<Duration> GPU_HOLD_AFTER_STOP = new LimitKey<>("gpu_hold_after_stop",
            ValueKind.duration("a GPU hold time"), "held indefinitely", Limit.of(Duration.ofMinutes(15)));
    public static final LimitKey<Duration> CONTAINER_HOLD_AFTER_STOP = new LimitKey<>("container_hold_after_stop",
            ValueKind.duration("a time before a stopped container is removed"), "never removed",
            Limit.of(Duration.ofMinutes(30)));
    public static final LimitKey<Integer> PRIORITY = new LimitKey<>("priority",
            ValueKind.wholeNumber("a priority", 0, 100), null, Limit.of(1));

    // --- lifecycle policies (top-level policies, groups.<g>.policies, container_types.<t>) ----
    public static final LimitKey<Double> HIGH_DEMAND_THRESHOLD = new LimitKey<>("high_demand_threshold",
            ValueKind.decimal("a fraction of GPUs allocated", 0, false, 1), DISABLED, Limit.of(0.8));
    public static final LimitKey<Double> HIGH_DEMAND_IDLE_REDUCTION = new LimitKey<>("high_demand_idle_reduction",
            ValueKind.decimal("a fraction to cut the idle timeout by", 0, false, 1), DISABLED, Limit.of(0.5));
    public static final LimitKey<Double> GPU_IDLE_THRESHOLD = new LimitKey<>("gpu_idle_threshold",
            ValueKind.decimal("a GPU utilisation percentage", 0, false, 100), null, Limit.of(5.0));
    public static final LimitKey<Double> CPU_IDLE_THRESHOLD = new LimitKey<>("cpu_idle_threshold",
            ValueKind.decimal("a CPU utilisation percentage", 0, false, 100), null, Limit.of(2.0));
    public static final LimitKey<Long> NETWORK_IDLE_THRESHOLD = new LimitKey<>("network_idle_threshold",
            ValueKind.byteCount("a network traffic threshold"), null, Limit.of(1L << 20));
    public static final LimitKey<Integer> IDLE_DETECTION_WINDOW = new LimitKey<>("idle_detection_window",
            ValueKind.wholeNumber("a number of consecutive idle checks", 1, Integer.MAX_VALUE), null, Limit.of(3));
    public static final LimitKey<Duration> GRACE_PERIOD = new LimitKey<>("grace_period",
            ValueKind.duration("a start-up grace period"), DISABLED, Limit.of(Duration.ofMinutes(30)));
    public static final LimitKey<Duration> KEEPALIVE_MAX_DURATION = new LimitKey<>("keepalive_max_duration",
            ValueKind.duration("a keep-alive maximum"), UNLIMITED, Limit.of(Duration.ofHours(24)));
    public static final LimitKey<Duration> SIGTERM_GRACE = new LimitKey<>("sigterm_grace",
            ValueKind.duration("a SIGTERM grace period"), null, Limit.of(Duration.ofSeconds(60)));
    public static final LimitKey<Duration> GPU_HOLD_AFTER_MANUAL_STOP = new LimitKey<>("gpu_hold_after_manual_stop",
            ValueKind.duration("a GPU hold time after a manual stop"), "held indefinitely",
            Limit.of(Duration.ofMinutes(15)));
    public static final LimitKey<Duration> CREATED_CONTAINER_TIMEOUT = new LimitKey<>("created_container_timeout",
            ValueKind.duration("a timeout for created, never started containers"), "never removed",
            Limit.of(Duration.ofMinutes(30)));

    /** Keys of {@code defaults}, {@code groups.<g>} and {@code user_overrides.<u>}, in display order. */
    public static final List<LimitKey<?>> PER_USER = List.of(MAX_GPU_EQUIVALENTS, MAX_MIG_INSTANCES, MAX_GPU_SLOTS_PER_CONTAINER,
            ALLOW_FULL_GPU, MAX_CPUS, MEMORY, MEMORY_SWAP, SHM_SIZE, PIDS_LIMIT, MAX_CONTAINERS_PER_USER,
            MAX_RUNTIME, IDLE_TIMEOUT, GPU_HOLD_AFTER_STOP, CONTAINER_HOLD_AFTER_STOP, PRIORITY);

    /** Keys of the top-level {@code policies} and of {@code groups.<g>.policies}. */
    public static final List<LimitKey<?>> POLICIES = List.of(HIGH_DEMAND_THRESHOLD, HIGH_DEMAND_IDLE_REDUCTION,
            GPU_IDLE_THRESHOLD, CPU_IDLE_THRESHOLD, NETWORK_IDLE_THRESHOLD, IDLE_DETECTION_WINDOW, GRACE_PERIOD,
            KEEPALIVE_MAX_DURATION, SIGTERM_GRACE, GPU_HOLD_AFTER_MANUAL_STOP, CREATED_CONTAINER_TIMEOUT);

    /** Keys of {@code container_types.<type>}: only lifecycle, GPU quota stays with the user. */
    public static final List<LimitKey<?>> CONTAINER_TYPE = List.of(IDLE_TIMEOUT, MAX_RUNTIME, SIGTERM_GRACE,
            GPU_HOLD_AFTER_STOP, CONTAINER_HOLD_AFTER_STOP);

    private final String name;
    private final ValueKind<T> kind;
    private final String nullMeaning;
    private final Limit<T> builtIn;
    private final List<String> aliases;

    private LimitKey(String name, ValueKind<T> kind, String nullMeaning, Limit<T> builtIn, String... aliases) {
        this.name = name;
        this.kind = kind;
        this.nullMeaning = nullMeaning;
        this.builtIn = builtIn;
        this.aliases = List.of(aliases);
    }

    public String name() {
        return name;
    }

    public ValueKind<T> kind() {
        return kind;
    }

    /** What {@code null} means for this key ("unlimited", "disabled"...), empty when null is refused. */
    public Optional<String> nullMeaning() {
        return Optional.ofNullable(nullMeaning);
    }

    /** The portal's own value when no layer of the file sets the key (DS01's shipped defaults). */
    public Limit<T> builtIn() {
        return builtIn;
    }

    public List<String> aliases() {
        return aliases;
    }

    /**
     * Whether {@code written} is a spelling of this key: its name, an alias, or on duration keys the
     * name with a unit suffix ({@code _h}, {@code _m}, {@code _s}), which then says the unit.
     */
    Optional<Spelling> spelling(String written) {
        if (written.equals(name) || aliases.contains(written)) {
            return Optional.of(new Spelling(written, null));
        }
        if (kind.takesUnitSuffix()) {
            for (ChronoUnit unit : List.of(ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
                String suffix = "_" + unit.toString().substring(0, 1).toLowerCase(Locale.ROOT);
                if (written.equals(name + suffix)) {
                    return Optional.of(new Spelling(written, unit));
                }
            }
        }
        return Optional.empty();
    }

    /** A key as written in the file, and the unit its suffix implies (null for none). */
    record Spelling(String written, ChronoUnit unit) {
    }

    @Override
    public String toString() {
        return name;
    }
}
