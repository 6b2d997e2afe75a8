package ds01.limits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A limits file as the portal understood it. Maps keep the file's order, which breaks ties
 * between groups of equal priority.
 */
public record LimitsFile(
        LimitLayer defaults,
        Map<String, Group> groups,
        Map<String, UserOverride> userOverrides,
        Optional<String> defaultGroup,
        GpuAllocation gpuAllocation,
        LimitLayer policies,
        AccessControl accessControl,
        Map<String, LimitLayer> containerTypes,
        List<IgnoredKey> ignoredKeys) {

    public LimitsFile {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        userOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(userOverrides));
        containerTypes = Collections.unmodifiableMap(new LinkedHashMap<>(containerTypes));
        ignoredKeys = List.copyOf(ignoredKeys);
    }

    /**
     * Which group's limits apply. A {@code group:} in the user's override wins; else the groups
     * whose {@code members} list the user, and of several the one with the highest priority
     * (ties: the first in the file); else {@code default_group}; else none (defaults only).
     */
    public Membership membershipOf(String username) {
        return membershipOf(username, Set.of(), Map.of());
    }

    /**
     * As {@link #membershipOf(String)}, with one more step before {@code default_group}: the user's host groups
     * mapped onto limits groups ({@code DS01_HOST_GROUPS}, e.g. {@code ds01-researchers=researcher}); of several,
     * the highest priority wins as for members lists.
     */
    public Membership membershipOf(String username, Set<String> hostGroups, Map<String, String> hostGroupMap) {
        UserOverride override = userOverrides.get(username);
        if (override != null && override.group().isPresent()) {
            return new Membership(override.group(), "pinned by user_overrides." + username + ".group");
        }
        List<Group> listing = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.members().contains(username)) {
                listing.add(g);
            }
        }
        if (listing.size() == 1) {
            return new Membership(Optional.of(listing.get(0).name()),
                    "listed in members of " + listing.get(0).name());
        }
        if (listing.size() > 1) {
            // max() keeps the first of equal elements only with a stable tie rule, so compare file order explicitly
            List<String> order = new ArrayList<>(groups.keySet());
            Group chosen = listing.stream()
                    .max(Comparator.comparingInt(this::priorityOf)
                            .thenComparing(g -> -order.indexOf(g.name())))
                    .orElseThrow();
            List<String> names = listing.stream().map(Group::name).toList();
            return new Membership(Optional.of(chosen.name()), "listed in members of " + String.join(", ", names)
                    + "; " + chosen.name() + " has the highest priority (" + priorityOf(chosen)
                    + ", ties go to the group first in the file)");
        }
        List<String> order = new ArrayList<>(groups.keySet());
        Optional<Map.Entry<String, String>> mapped = hostGroupMap.entrySet().stream()
                .filter(e -> hostGroups.contains(e.getKey()) && groups.containsKey(e.getValue()))
                .max(Comparator.<Map.Entry<String, String>>comparingInt(e -> priorityOf(groups.get(e.getValue())))
                        .thenComparing(e -> -order.indexOf(e.getValue())));
        if (mapped.isPresent()) {
            return new Membership(Optional.of(mapped.get().getValue()), "in no members list; host group "
                    + mapped.get().getKey() + " maps to " + mapped.get().getValue());
        }
        if (defaultGroup.isPresent()) {
            return new Membership(defaultGroup, "in no members list, so default_group");
        }
        return new Membership(Optional.empty(), "in no members list and the file has no default_group");
    }

    /** A group's priority as it resolves for its members without overrides. */
    int priorityOf(Group group) {
        return group.limits().get(LimitKey.PRIORITY)
                .or(() -> defaults.get(LimitKey.PRIORITY))
                .orElse(LimitKey.PRIORITY.builtIn())
                .bound().orElseThrow();
    }

    /** The user's limits: override, then group, then defaults, then the portal's built-in value. */
    public EffectiveLimits effectiveFor(String username) {
        return effectiveFor(username, Set.of(), Map.of());
    }

    /** The user's limits, with host groups taken into account for the group (see membershipOf). */
    public EffectiveLimits effectiveFor(String username, Set<String> hostGroups, Map<String, String> hostGroupMap) {
        Membership membership = membershipOf(username, hostGroups, hostGroupMap);
        Optional<Group> group = membership.group().map(groups::get);
        Optional<UserOverride> override = Optional.ofNullable(userOverrides.get(username));

        List<Layer> perUser = new ArrayList<>();
        override.ifPresent(o -> perUser.add(new Layer(o.limits(), "override")));
        group.ifPresent(g -> perUser.add(new Layer(g.limits(), "group " + g.name())));
        perUser.add(new Layer(defaults, "default"));

        List<Layer> policyLayers = new ArrayList<>();
        group.ifPresent(g -> policyLayers.add(new Layer(g.policies(), "group " + g.name())));
        policyLayers.add(new Layer(policies, "default"));

        return new EffectiveLimits(username, membership, resolveAll(LimitKey.PER_USER, perUser),
                resolveAll(LimitKey.POLICIES, policyLayers), override.flatMap(UserOverride::reservation));
    }

    private record Layer(LimitLayer values, String source) {
    }

    private static Map<LimitKey<?>, Resolved<?>> resolveAll(List<LimitKey<?>> keys, List<Layer> layers) {
        Map<LimitKey<?>, Resolved<?>> out = new LinkedHashMap<>();
        for (LimitKey<?> key : keys) {
            out.put(key, resolve(key, layers));
        }
        return out;
    }

    private static <T> Resolved<T> resolve(LimitKey<T> key, List<Layer> layers) {
        for (Layer layer : layers) {
            Optional<Limit<T>> v = layer.values().get(key);
            if (v.isPresent()) {
                return new Resolved<>(key, v.get(), layer.source());
            }
        }
        return new Resolved<>(key, key.builtIn(), "built-in");
    }
}
