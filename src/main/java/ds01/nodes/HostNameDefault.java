package ds01.nodes;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The default node name: this host's name as the kernel knows it (read from /proc, so no process is started and
 * no name service is asked), cut to its first label. Below application.properties and the environment, so
 * {@code DS01_NODE_NAME} always wins. A host whose name cannot be read is "local", the name every record carried
 * before nodes had names.
 */
public class HostNameDefault implements ConfigSource {

    static final String KEY = "ds01.node.name";
    private final String name = read();

    @Override
    public Map<String, String> getProperties() {
        return Map.of(KEY, name);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String propertyName) {
        return KEY.equals(propertyName) ? name : null;
    }

    @Override
    public String getName() {
        return "ds01 node name from the host name";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    private static String read() {
        try {
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            String first = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
            return first.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}") ? first.toLowerCase(Locale.ROOT) : "local";
        } catch (IOException | RuntimeException e) {
            return "local";
        }
    }
}
