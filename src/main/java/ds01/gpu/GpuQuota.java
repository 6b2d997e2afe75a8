package ds01.gpu;

import ds01.limits.EffectiveLimits;

import java.util.List;
import java.util.Locale;

/**
 * What a user holds against their GPU limits, and what is left: the dashboard's "your GPUs" and
 * {@code GET /api/gpu/quota}. A null maximum means the limits file sets no bound.
 */
public record GpuQuota(String username, String group, int slotsHeld, Integer maxSlots, double equivalentsHeld,
        Double maxEquivalents, Integer slotsPerContainer, boolean wholeGpuAllowed, int priority, int waiting,
        Integer slotsLeft, Double equivalentsLeft) {

    public static GpuQuota of(EffectiveLimits limits, List<Allocator.Held> held, int priority, int waiting) {
        Integer maxSlots = limits.maxMigInstances().value().bound().orElse(null);
        Double maxEquivalents = limits.maxGpuEquivalents().value().bound().orElse(null);
        double equivalents = Math.round(held.stream().mapToDouble(Allocator.Held::weight).sum() * 10_000) / 10_000.0;
        return new GpuQuota(limits.username(), limits.group().orElse(null), held.size(), maxSlots, equivalents,
                maxEquivalents, limits.maxGpuSlotsPerContainer().value().bound().orElse(null),
                limits.allowFullGpu().value().bound().orElse(true), priority, waiting,
                maxSlots == null ? null : Math.max(0, maxSlots - held.size()),
                maxEquivalents == null ? null : Math.max(0, Math.round((maxEquivalents - equivalents) * 10_000) / 10_000.0));
    }

    /** One line for the dashboard, e.g. "1 of 2 GPU slots held, 1 left". */
    public String summary() {
        StringBuilder line = new StringBuilder();
        if (maxSlots != null) {
            line.append(slotsHeld).append(" of ").append(maxSlots).append(" GPU slots held, ").append(slotsLeft)
                    .append(" left");
        }
        if (maxEquivalents != null) {
            line.append(line.isEmpty() ? "" : "; ").append(format(equivalentsHeld)).append(" of ")
                    .append(format(maxEquivalents)).append(" GPU-equivalents held, ").append(format(equivalentsLeft))
                    .append(" left");
        }
        if (line.isEmpty()) {
            line.append(slotsHeld).append(" GPU slot(s) held; your limits set no GPU quota");
        }
        return line.toString();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
