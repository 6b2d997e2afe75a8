package ds01.limits;

import ds01.web.UserName;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a limits file from SnakeYAML's node tree rather than from loaded maps: nodes keep their
 * start marks, so every refusal can name its line, and YAML nulls stay distinguishable from
 * missing keys. One reader per read; it collects the keys it ignores as it goes.
 */
public final class LimitsFileReader {

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern GPU_SLOT = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Set<String> RESERVATION_KEYS =
            Set.of("reserved_gpus", "reservation_start", "reservation_end", "reason");

    private final String file;
    private final List<IgnoredKey> ignored = new ArrayList<>();
    /** Where each override names its group, to point at it if the group does not exist. */
    private final Map<String, Integer> overrideGroupLines = new HashMap<>();

    private LimitsFileReader(String file) {
        this.file = file;
    }

    /** @throws LimitsFileException for a missing, unreadable or invalid file */
    public static LimitsFile read(Path path) {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new LimitsFileException(name, OptionalInt.empty(), Optional.empty(),
                    "no such file (set DS01_LIMITS_FILE or ds01.limits.file to the limits file)", Optional.empty(), e);
        } catch (IOException e) {
            throw new LimitsFileException(name, OptionalInt.empty(), Optional.empty(),
                    "cannot read the file (" + e + ")", Optional.empty(), e);
        }
        return parse(text, name);
    }

    /** @param fileName how to name the file in errors */
    public static LimitsFile parse(String text, String fileName) {
        return new LimitsFileReader(fileName).document(text);
    }

    private LimitsFile document(String text) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "YAML syntax error: " + (e.getContext() != null ? e.getContext() + ", " : "")
                    + e.getProblem();
            throw new LimitsFileException(file, mark == null ? OptionalInt.empty() : OptionalInt.of(mark.getLine() + 1),
                    Optional.empty(), problem, Optional.empty(), e);
        } catch (YAMLException e) {
            throw new LimitsFileException(file, OptionalInt.empty(), Optional.empty(),
                    "YAML error: " + e.getMessage(), Optional.empty(), e);
        }
        if (root == null || isNull(root)) {
            throw new LimitsFileException(file, OptionalInt.empty(), Optional.empty(),
                    "the file is empty; expected a mapping with defaults, groups, default_group, ...",
                    Optional.empty(), null);
        }
        if (!(root instanceof MappingNode)) {
            throw new LimitsFileException(file, OptionalInt.of(line(root)), Optional.empty(),
                    "expected a mapping with defaults, groups, default_group, ... at the top, got " + describe(root),
                    Optional.empty(), null);
        }

        LimitLayer defaults = LimitLayer.EMPTY;
        Map<String, Group> groups = new LinkedHashMap<>();
        Map<String, UserOverride> overrides = new LinkedHashMap<>();
        Optional<String> defaultGroup = Optional.empty();
        int defaultGroupLine = 0;
        GpuAllocation allocation = GpuAllocation.BUILT_IN;
        LimitLayer policies = LimitLayer.EMPTY;
        AccessControl access = AccessControl.NONE;
        Map<String, LimitLayer> containerTypes = new LinkedHashMap<>();

        for (Map.Entry<String, NodeTuple> e : entries(root, "").entrySet()) {
            String key = e.getKey();
            Node value = e.getValue().getValueNode();
            switch (key) {
                case "defaults" -> defaults = layer(entries(value, key), key, LimitKey.PER_USER, Set.of());
                case "groups" -> {
                    for (Map.Entry<String, NodeTuple> g : entries(value, key).entrySet()) {
                        groups.put(g.getKey(), group(g.getKey(), g.getValue()));
                    }
                }
                case "user_overrides" -> {
                    for (Map.Entry<String, NodeTuple> u : entries(value, key).entrySet()) {
                        overrides.put(u.getKey(), userOverride(u.getKey(), u.getValue()));
                    }
                }
                case "default_group" -> {
                    defaultGroup = optionalText(value, key, "the name of a group under groups");
                    defaultGroupLine = line(value);
                }
                case "gpu_allocation" -> allocation = gpuAllocation(value);
                case "policies" -> policies = layer(entries(value, key), key, LimitKey.POLICIES, Set.of());
                case "access_control" -> access = accessControl(value);
                case "container_types" -> {
                    for (Map.Entry<String, NodeTuple> t : entries(value, key).entrySet()) {
                        String path = key + "." + t.getKey();
                        containerTypes.put(t.getKey(),
                                layer(entries(t.getValue().getValueNode(), path), path, LimitKey.CONTAINER_TYPE, Set.of()));
                    }
                }
                default -> ignore(key, e.getValue());
            }
        }

        if (defaultGroup.isPresent() && !groups.containsKey(defaultGroup.get())) {
            throw LimitsFileException.at(file, defaultGroupLine, "default_group",
                    "the name of a group under groups (" + String.join(", ", groups.keySet()) + ")", defaultGroup.get());
        }
        for (UserOverride o : overrides.values()) {
            if (o.group().isPresent() && !groups.containsKey(o.group().get())) {
                throw LimitsFileException.at(file, overrideGroupLines.get(o.username()), "user_overrides." + o.username() + ".group",
                        "the name of a group under groups (" + String.join(", ", groups.keySet()) + ")", o.group().get());
            }
        }
        return new LimitsFile(defaults, groups, overrides, defaultGroup, allocation, policies, access, containerTypes,
                ignored);
    }

    private Group group(String name, NodeTuple tuple) {
        String path = "groups." + name;
        if (!GROUP_NAME.matcher(name).matches()) {
            throw LimitsFileException.at(file, line(tuple.getKeyNode()), path,
                    "a group name (letters, digits, _, . or -)", name);
        }
        Map<String, NodeTuple> body = entries(tuple.getValueNode(), path);
        List<String> members = body.containsKey("members")
                ? userNames(body.get("members").getValueNode(), path + ".members")
                : List.of();
        LimitLayer policies = body.containsKey("policies")
                ? layer(entries(body.get("policies").getValueNode(), path + ".policies"), path + ".policies",
                        LimitKey.POLICIES, Set.of())
                : LimitLayer.EMPTY;
        LimitLayer limits = layer(body, path, LimitKey.PER_USER, Set.of("members", "policies"));
        return new Group(name, members, limits, policies);
    }

    private UserOverride userOverride(String username, NodeTuple tuple) {
        String path = "user_overrides." + username;
        int line = line(tuple.getKeyNode());
        if (!UserName.isValid(username)) {
            throw LimitsFileException.at(file, line, path, UserName.DESCRIPTION, username);
        }
        Map<String, NodeTuple> body = entries(tuple.getValueNode(), path);
        Optional<String> group = Optional.empty();
        if (body.containsKey("group")) {
            Node g = body.get("group").getValueNode();
            group = Optional.of(text(g, path + ".group", "the name of a group under groups"));
            overrideGroupLines.put(username, line(g));
        }
        Optional<Reservation> reservation = reservation(body, path, line);
        Set<String> handled = new HashSet<>(RESERVATION_KEYS);
        handled.add("group");
        LimitLayer limits = layer(body, path, LimitKey.PER_USER, handled);
        return new UserOverride(username, group, limits, reservation);
    }

    private Optional<Reservation> reservation(Map<String, NodeTuple> body, String path, int overrideLine) {
        if (RESERVATION_KEYS.stream().noneMatch(body::containsKey)) {
            return Optional.empty();
        }
        for (String required : List.of("reserved_gpus", "reservation_start", "reservation_end")) {
            if (!body.containsKey(required)) {
                throw new LimitsFileException(file, OptionalInt.of(overrideLine), Optional.of(path + "." + required),
                        "expected " + required + " too: a reservation needs reserved_gpus, reservation_start and"
                                + " reservation_end",
                        Optional.empty(), null);
            }
        }
        Node gpusNode = body.get("reserved_gpus").getValueNode();
        if (!(gpusNode instanceof SequenceNode seq)) {
            throw LimitsFileException.at(file, line(gpusNode), path + ".reserved_gpus",
                    "a list of GPU slots like [0] or [\"1.2\"]", describe(gpusNode));
        }
        List<String> gpus = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String slot = item instanceof ScalarNode s ? s.getValue().trim() : describe(item);
            if (!(item instanceof ScalarNode) || !GPU_SLOT.matcher(slot).matches()) {
                throw LimitsFileException.at(file, line(item), path + ".reserved_gpus",
                        "a GPU slot like 0 (full GPU) or 1.2 (GPU 1, MIG device 2)", slot);
            }
            gpus.add(slot);
        }
        LocalDateTime start = dateTime(body.get("reservation_start").getValueNode(), path + ".reservation_start");
        Node endNode = body.get("reservation_end").getValueNode();
        LocalDateTime end = dateTime(endNode, path + ".reservation_end");
        if (!end.isAfter(start)) {
            throw LimitsFileException.at(file, line(endNode), path + ".reservation_end",
                    "a time after reservation_start (" + start + ")", ((ScalarNode) endNode).getValue());
        }
        String reason = body.containsKey("reason")
                ? optionalText(body.get("reason").getValueNode(), path + ".reason", "a reason").orElse("")
                : "";
        return Optional.of(new Reservation(gpus, start, end, reason));
    }

    private LocalDateTime dateTime(Node node, String path) {
        String expected = "a date and time like 2025-11-01T00:00:00";
        if (!(node instanceof ScalarNode s) || isNull(node)) {
            throw LimitsFileException.at(file, line(node), path, expected, describe(node));
        }
        String t = s.getValue().trim();
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw LimitsFileException.at(file, line(node), path, expected, t);
        }
    }

    private GpuAllocation gpuAllocation(Node node) {
        String path = "gpu_allocation";
        GpuAllocation builtIn = GpuAllocation.BUILT_IN;
        AllocationStrategy strategy = builtIn.strategy();
        boolean respect = builtIn.respectReservations();
        for (Map.Entry<String, NodeTuple> e : entries(node, path).entrySet()) {
            Node v = e.getValue().getValueNode();
            String keyPath = path + "." + e.getKey();
            switch (e.getKey()) {
                case "strategy" -> {
                    String expected = "one of least_allocated, round_robin, priority_aware";
                    String s = text(v, keyPath, expected);
                    try {
                        strategy = AllocationStrategy.valueOf(s.toUpperCase());
                    } catch (IllegalArgumentException ex) {
                        throw LimitsFileException.at(file, line(v), keyPath, expected, s);
                    }
                }
                case "respect_reservations" -> {
                    String s = text(v, keyPath, "true or false");
                    if (!s.equals("true") && !s.equals("false")) {
                        throw LimitsFileException.at(file, line(v), keyPath, "true or false", s);
                    }
                    respect = Boolean.parseBoolean(s);
                }
                default -> ignore(keyPath, e.getValue());
            }
        }
        return new GpuAllocation(strategy, respect);
    }

    private AccessControl accessControl(Node node) {
        String path = "access_control";
        List<String> users = List.of();
        Optional<String> group = Optional.empty();
        for (Map.Entry<String, NodeTuple> e : entries(node, path).entrySet()) {
            Node v = e.getValue().getValueNode();
            switch (e.getKey()) {
                case "admin_users" -> users = userNames(v, path + ".admin_users");
                case "admin_group" -> group = optionalText(v, path + ".admin_group", "a host group name");
                default -> ignore(path + "." + e.getKey(), e.getValue());
            }
        }
        return new AccessControl(users, group);
    }

    /** The limits one section sets; keys in {@code handledElsewhere} belong to the caller. */
    private LimitLayer layer(Map<String, NodeTuple> body, String path, List<LimitKey<?>> keys,
            Set<String> handledElsewhere) {
        Map<LimitKey<?>, Limit<?>> values = new LinkedHashMap<>();
        Map<LimitKey<?>, NodeTuple> seen = new HashMap<>();
        for (Map.Entry<String, NodeTuple> e : body.entrySet()) {
            String written = e.getKey();
            if (handledElsewhere.contains(written)) {
                continue;
            }
            String keyPath = path + "." + written;
            Optional<Map.Entry<LimitKey<?>, LimitKey.Spelling>> match = keys.stream()
                    .flatMap(k -> k.spelling(written).<Map.Entry<LimitKey<?>, LimitKey.Spelling>>map(
                            s -> Map.entry(k, s)).stream())
                    .findFirst();
            if (match.isEmpty()) {
                ignore(keyPath, e.getValue());
                continue;
            }
            LimitKey<?> key = match.get().getKey();
            NodeTuple first = seen.putIfAbsent(key, e.getValue());
            if (first != null) {
                String firstName = ((ScalarNode) first.getKeyNode()).getValue();
                throw LimitsFileException.at(file, line(e.getValue().getKeyNode()), keyPath,
                        "one spelling of " + key.name() + " per section (" + firstName + " is already on line "
                                + line(first.getKeyNode()) + ")",
                        written);
            }
            values.put(key, value(key, match.get().getValue(), e.getValue().getValueNode(), keyPath));
        }
        return new LimitLayer(values);
    }

    private <T> Limit<T> value(LimitKey<T> key, LimitKey.Spelling spelling, Node node, String keyPath) {
        String expected = spelling.unit() == null ? key.kind().expected()
                : "a number of " + spelling.unit().toString().toLowerCase();
        if (!(node instanceof ScalarNode scalar)) {
            throw LimitsFileException.at(file, line(node), keyPath, expected, describe(node));
        }
        if (isNull(node)) {
            if (key.nullMeaning().isPresent()) {
                return Limit.none();
            }
            throw LimitsFileException.at(file, line(node), keyPath, expected + " (null is not allowed here)", "null");
        }
        try {
            return Limit.of(key.kind().parse(scalar.getValue(), spelling.unit()));
        } catch (ValueKind.RejectedValue e) {
            throw LimitsFileException.at(file, line(node), keyPath, e.expected(), scalar.getValue());
        }
    }

    /** The entries of a mapping in file order; a YAML null (an empty section) is an empty mapping. */
    private Map<String, NodeTuple> entries(Node node, String path) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw LimitsFileException.at(file, line(node), path.isEmpty() ? "(top)" : path,
                    "a mapping of keys to values", describe(node));
        }
        for (NodeTuple t : mapping.getValue()) {
            Node k = t.getKeyNode();
            String here = path.isEmpty() ? "" : path + ".";
            if (!(k instanceof ScalarNode ks) || isNull(k)) {
                throw LimitsFileException.at(file, line(k), here + "?", "a plain key", describe(k));
            }
            if (k.getTag().equals(Tag.MERGE)) {
                throw LimitsFileException.at(file, line(k), here + "<<",
                        "keys written out (merge keys are not supported)", "<<");
            }
            NodeTuple first = out.putIfAbsent(ks.getValue(), t);
            if (first != null) {
                throw LimitsFileException.at(file, line(k), here + ks.getValue(),
                        "each key once (it is already on line " + line(first.getKeyNode()) + ")", ks.getValue());
            }
        }
        return out;
    }

    private List<String> userNames(Node node, String path) {
        if (isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw LimitsFileException.at(file, line(node), path, "a list of user names like [alice, bob]",
                    describe(node));
        }
        List<String> names = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String name = item instanceof ScalarNode s ? s.getValue() : describe(item);
            if (!(item instanceof ScalarNode) || !UserName.isValid(name)) {
                throw LimitsFileException.at(file, line(item), path, UserName.DESCRIPTION, name);
            }
            names.add(name);
        }
        return names;
    }

    private String text(Node node, String path, String expected) {
        if (!(node instanceof ScalarNode s) || isNull(node) || s.getValue().isBlank()) {
            throw LimitsFileException.at(file, line(node), path, expected, describe(node));
        }
        return s.getValue().trim();
    }

    private Optional<String> optionalText(Node node, String path, String expected) {
        return isNull(node) ? Optional.empty() : Optional.of(text(node, path, expected));
    }

    private void ignore(String path, NodeTuple tuple) {
        ignored.add(new IgnoredKey(path, line(tuple.getKeyNode())));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return node.getTag().equals(Tag.NULL) ? "null" : s.getValue();
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}
