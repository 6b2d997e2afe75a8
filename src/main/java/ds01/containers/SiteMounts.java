package ds01.containers;

import ds01.engine.ContainerSpec;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Mounts and devices an admin adds to every container ({@code ds01.containers.mounts}, {@code .devices}): shared
 * datasets, a licence file. Users cannot add any. Checked when the portal starts: a bad entry stops it with the
 * entry and what is wrong, rather than a container later failing to start.
 */
@Startup
@ApplicationScoped
public class SiteMounts {

    private static final Pattern ABSOLUTE = Pattern.compile("/[A-Za-z0-9_./-]*");

    private final List<ContainerSpec.Mount> mounts;
    private final List<String> devices;

    public SiteMounts(ContainersConfig config) {
        this.mounts = config.mounts().orElse(List.of()).stream().map(SiteMounts::mount).toList();
        this.devices = config.devices().orElse(List.of()).stream().map(SiteMounts::device).toList();
    }

    public List<ContainerSpec.Mount> mounts() {
        return mounts;
    }

    public List<String> devices() {
        return devices;
    }

    /** {@code /host/path:/inside[:ro]}. */
    static ContainerSpec.Mount mount(String entry) {
        String[] parts = entry.strip().split(":");
        boolean readOnly = parts.length == 3 && parts[2].equals("ro");
        if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw"))
                || !absolute(parts[0]) || !absolute(parts[1])) {
            throw new IllegalArgumentException("ds01.containers.mounts: \"" + entry + "\" is not /host/path:/inside "
                    + "or /host/path:/inside:ro (absolute paths, no '..').");
        }
        if (parts[1].equals("/workspace") || parts[1].equals("/data") || parts[1].equals("/models")) {
            throw new IllegalArgumentException("ds01.containers.mounts: \"" + entry + "\" would hide " + parts[1]
                    + ", which the portal mounts itself.");
        }
        return new ContainerSpec.Mount(Path.of(parts[0]), parts[1], readOnly);
    }

    /** {@code /dev/name} or {@code /dev/name:/dev/inside}. */
    static String device(String entry) {
        String[] parts = entry.strip().split(":");
        for (String part : parts) {
            if (!part.startsWith("/dev/") || !absolute(part)) {
                throw new IllegalArgumentException("ds01.containers.devices: \"" + entry + "\" is not /dev/name or "
                        + "/dev/name:/dev/inside.");
            }
        }
        if (parts.length > 2) {
            throw new IllegalArgumentException("ds01.containers.devices: \"" + entry + "\" has more than two paths.");
        }
        return entry.strip();
    }

    private static boolean absolute(String path) {
        return ABSOLUTE.matcher(path).matches() && !List.of(path.split("/")).contains("..");
    }

    /** For messages: what every container gets besides its workspace. */
    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        mounts.forEach(m -> all.add(m.host() + ":" + m.inside() + (m.readOnly() ? ":ro" : "")));
        all.addAll(devices);
        return String.join(", ", all);
    }
}
