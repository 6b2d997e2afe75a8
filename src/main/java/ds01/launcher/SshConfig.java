package ds01.launcher;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SSH config a user pastes into {@code ~/.ssh/config} on their laptop, and the {@code vscode://} links that
 * open the server with Remote-SSH or attach Dev Containers to a running container through it. DS01 left users
 * to copy blocks from its docs; here they are made for the user, their containers and this server.
 */
public final class SshConfig {

    /** What goes into a Host block's HostName: a DNS name or address, nothing a config parser would split. */
    public static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?|\\[?[0-9a-fA-F:]+]?");

    /** A container the config names: its project (for the Host alias) and its engine name. */
    public record Container(String project, String name) {
    }

    private SshConfig() {
    }

    public static String alias() {
        return "ds01";
    }

    public static String text(String host, String user, String keyPath, List<Container> containers) {
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("not a host name: " + host);
        }
        StringBuilder out = new StringBuilder("# DS01 Portal: SSH to ").append(host).append(" as ").append(user)
                .append(".\n# Put this in ~/.ssh/config on your computer (or Include it from there).\n\n")
                .append("Host ").append(alias()).append('\n')
                .append("    HostName ").append(host).append('\n')
                .append("    User ").append(user).append('\n')
                .append("    IdentityFile ").append(keyPath).append('\n')
                .append("    IdentitiesOnly yes\n")
                .append("    ServerAliveInterval 60\n")
                .append("    ServerAliveCountMax 3\n");
        for (Container c : containers) {
            out.append("\n# ssh ").append(alias()).append('-').append(c.project()).append(": a shell in the running ")
                    .append("container ").append(c.name()).append('\n')
                    .append("Host ").append(alias()).append('-').append(c.project()).append('\n')
                    .append("    HostName ").append(host).append('\n')
                    .append("    User ").append(user).append('\n')
                    .append("    IdentityFile ").append(keyPath).append('\n')
                    .append("    IdentitiesOnly yes\n")
                    .append("    ServerAliveInterval 60\n")
                    .append("    RequestTTY yes\n")
                    .append("    RemoteCommand docker exec -it -w /workspace ").append(c.name()).append(" bash -l\n");
        }
        return out.toString();
    }

    /** Opens {@code ~/workspace/<project>} on the server in VS Code's Remote-SSH. */
    public static String remoteSshLink(String home, String project) {
        return "vscode://vscode-remote/ssh-remote+" + alias() + home + "/workspace/" + project;
    }

    /**
     * Attaches VS Code's Dev Containers to the running container on the server (over SSH), at /workspace: the
     * {@code attached-container+<hex>} form, the hex of {"containerName": "/name", "settings": {"host": "ssh://ds01"}}.
     */
    public static String attachLink(String containerName) {
        String json = "{\"containerName\":\"/" + containerName + "\",\"settings\":{\"host\":\"ssh://" + alias() + "\"}}";
        return "vscode://vscode-remote/attached-container+" + HexFormat.of().formatHex(json.getBytes(StandardCharsets.UTF_8))
                + "/workspace";
    }
}
