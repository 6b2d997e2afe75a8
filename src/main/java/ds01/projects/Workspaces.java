package ds01.projects;

import ds01.identity.HostAccount;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The users' permanent files: {@code ~/workspace/<project>}, mounted at {@code /workspace} in their containers.
 * The portal creates them with the user's ownership and never deletes one (invariant 3).
 */
@ApplicationScoped
public class Workspaces {

    /**
     * The project's workspace, made (owned by the user) if missing.
     *
     * @throws IllegalArgumentException for a name outside {@link ProjectName}'s grammar
     * @throws IllegalStateException    when {@code ~/workspace} or the project directory is a symbolic link or
     *                                  not the user's: the portal runs as root and must not be steered elsewhere
     */
    public Path ensure(HostAccount account, String project) {
        if (!ProjectName.isValid(project)) {
            throw new IllegalArgumentException("\"" + project + "\" is not " + ProjectName.DESCRIPTION + ".");
        }
        Path root = Path.of(account.home(), "workspace");
        Path workspace = root.resolve(project);
        try {
            ownedDirectory(root, account);
            ownedDirectory(workspace, account);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make " + workspace + ": " + e.getMessage(), e);
        }
        return workspace;
    }

    /**
     * {@code ~/workspace}, made (owned by the user) if missing.
     *
     * @throws IllegalStateException as {@link #ensure} does
     */
    public Path root(HostAccount account) {
        Path root = Path.of(account.home(), "workspace");
        try {
            ownedDirectory(root, account);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make " + root + ": " + e.getMessage(), e);
        }
        return root;
    }

    /**
     * Writes a file the portal makes for the user (the generated Dockerfile) into the project's workspace, owned by
     * them. An existing file of that name is replaced, never followed if it is a symbolic link.
     *
     * @param fileName a plain file name, no directories
     */
    public Path write(HostAccount account, String project, String fileName, String content) {
        if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        Path file = ensure(account, project).resolve(fileName);
        try {
            Path staged = Files.createTempFile(file.getParent(), ".ds01-", ".tmp");
            Files.writeString(staged, content, java.nio.charset.StandardCharsets.UTF_8);
            Files.setAttribute(staged, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(staged, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(staged, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            // a rename replaces a symbolic link planted at the name rather than writing through it
            Files.move(staged, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void ownedDirectory(Path dir, HostAccount account) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IllegalStateException(dir + " is a symbolic link; the portal only uses real directories there. "
                    + "Replace it with a directory.");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
            Files.setAttribute(dir, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(dir + " exists but is not a directory. Move it away, then try again.");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != account.uid()) {
            throw new IllegalStateException(dir + " belongs to uid " + owner + ", not to " + account.username()
                    + ". Ask an admin to fix its ownership.");
        }
    }
}
