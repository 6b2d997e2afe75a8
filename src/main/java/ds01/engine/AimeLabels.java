package ds01.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AIME ML Containers' naming and labels, so {@code mlc list} still shows what the portal makes, beside DS01's
 * own {@code ds01.*} labels. AIME names a container {@code {project}._.{uid}}.
 */
public final class AimeLabels {

    public static final String AIME = "aime.mlc";
    public static final String AIME_USER = "aime.mlc.USER";
    public static final String AIME_NAME = "aime.mlc.NAME";
    public static final String AIME_FRAMEWORK = "aime.mlc.FRAMEWORK";
    public static final String AIME_WORK_MOUNT = "aime.mlc.WORK_MOUNT";
    public static final String AIME_DATA_MOUNT = "aime.mlc.DATA_MOUNT";
    public static final String AIME_GPUS = "aime.mlc.GPUS";

    public static final String MANAGED = "ds01.managed";
    public static final String USER = "ds01.user";
    public static final String UID = "ds01.uid";
    public static final String PROJECT = "ds01.project";
    public static final String IMAGE = "ds01.image";
    public static final String GPU_SLOTS = "ds01.gpu.slots";
    public static final String GPU_UUIDS = "ds01.gpu.uuids";
    public static final String CREATED_AT = "ds01.created_at";
    public static final String CREATED_BY = "ds01.created_by";

    private static final Pattern NAME = Pattern.compile("(.+)\\._\\.(\\d+)");

    private AimeLabels() {
    }

    /** AIME's container name for a user's project. */
    public static String containerName(String project, int uid) {
        return project + "._." + uid;
    }

    /** The project and uid an AIME container name holds, or empty for a name AIME did not make. */
    public static Optional<Map.Entry<String, Integer>> parseName(String name) {
        Matcher m = NAME.matcher(name.startsWith("/") ? name.substring(1) : name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Map.entry(m.group(1), Integer.parseInt(m.group(2))));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /** Every label a container the portal makes carries. */
    public static Map<String, String> of(ContainerSpec spec, String framework, String createdAt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(AIME, spec.name());
        labels.put(AIME_USER, spec.username());
        labels.put(AIME_NAME, spec.project());
        labels.put(AIME_FRAMEWORK, framework);
        labels.put(AIME_WORK_MOUNT, spec.workspace().toString());
        labels.put(AIME_DATA_MOUNT, spec.dataDirectory().map(Object::toString).orElse("-"));
        labels.put(AIME_GPUS, spec.gpus().isEmpty() ? "-" : String.join(",", spec.gpus().values()));
        labels.put(MANAGED, "true");
        labels.put(USER, spec.username());
        labels.put(UID, String.valueOf(spec.uid()));
        labels.put(PROJECT, spec.project());
        labels.put(IMAGE, spec.image());
        labels.put(GPU_SLOTS, String.join(",", spec.gpus().keySet()));
        labels.put(GPU_UUIDS, String.join(",", spec.gpus().values()));
        labels.put(CREATED_AT, createdAt);
        labels.put(CREATED_BY, spec.createdBy());
        return labels;
    }
}
