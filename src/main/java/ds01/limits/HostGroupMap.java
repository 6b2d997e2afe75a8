package ds01.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code DS01_LIMITS_HOST_GROUPS} ({@code hostgroup=limitsgroup,...}) and checks it against the limits file. */
final class HostGroupMap {

    private static final String NAME = "[a-z_][a-z0-9_.-]{0,63}";

    private HostGroupMap() {
    }

    static Map<String, String> parse(String text, LimitsFile limits) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.strip().split("=", -1);
            if (parts.length != 2 || !parts[0].strip().matches(NAME) || parts[1].isBlank()) {
                throw new IllegalArgumentException("DS01_LIMITS_HOST_GROUPS: \"" + entry.strip()
                        + "\" is not hostgroup=limitsgroup (e.g. ds01-researchers=researcher)");
            }
            String limitsGroup = parts[1].strip();
            if (!limits.groups().containsKey(limitsGroup)) {
                throw new IllegalArgumentException("DS01_LIMITS_HOST_GROUPS maps host group " + parts[0].strip()
                        + " to \"" + limitsGroup + "\", which is not a group of the limits file (groups: "
                        + String.join(", ", limits.groups().keySet()) + ")");
            }
            map.put(parts[0].strip(), limitsGroup);
        }
        return Map.copyOf(map);
    }
}
