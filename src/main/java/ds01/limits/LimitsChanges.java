package ds01.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a reload changed, counted per section, so the log says more than "reloaded". */
public record LimitsChanges(List<String> changes) {

    public static LimitsChanges between(LimitsFile before, LimitsFile after) {
        List<String> out = new ArrayList<>();
        section(out, "defaults", before.defaults(), after.defaults());
        count(out, "group", before.groups(), after.groups());
        count(out, "user override", before.userOverrides(), after.userOverrides());
        section(out, "default_group", before.defaultGroup(), after.defaultGroup());
        section(out, "policies", before.policies(), after.policies());
        count(out, "container type", before.containerTypes(), after.containerTypes());
        section(out, "gpu_allocation", before.gpuAllocation(), after.gpuAllocation());
        section(out, "access_control", before.accessControl(), after.accessControl());
        return new LimitsChanges(List.copyOf(out));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    @Override
    public String toString() {
        return changes.isEmpty() ? "no changes" : String.join(", ", changes);
    }

    private static void section(List<String> out, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(name + " changed");
        }
    }

    private static void count(List<String> out, String noun, Map<String, ?> before, Map<String, ?> after) {
        long added = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        long removed = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
        long changed = after.entrySet().stream()
                .filter(e -> before.containsKey(e.getKey()) && !before.get(e.getKey()).equals(e.getValue()))
                .count();
        add(out, added, noun, "added");
        add(out, removed, noun, "removed");
        add(out, changed, noun, "changed");
    }

    private static void add(List<String> out, long n, String noun, String verb) {
        if (n > 0) {
            out.add(n + " " + noun + (n == 1 ? "" : "s") + " " + verb);
        }
    }
}
