package ds01.identity;

import com.sun.security.auth.module.UnixSystem;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes files into a user's directory with the user's own rights: a tar stream unpacked by {@code tar} run as
 * them ({@code setpriv}). The portal runs as root; writing a tree into a directory the user owns as root would
 * follow any link they planted there mid-way. As the user, a planted link only leads where they may write anyway,
 * and everything made is theirs without a chown.
 */
public final class UserFiles {

    private UserFiles() {
    }

    /**
     * Unpacks {@code directories} and {@code files} (paths relative to {@code into}) without replacing anything that
     * exists.
     *
     * @throws IllegalStateException when tar refuses (an existing file, no permission), with its words
     */
    public static void write(HostAccount account, Path into, List<String> directories, Map<String, String> files) {
        run(account, List.of("tar", "--extract", "--file=-", "--directory=" + into, "--keep-old-files",
                "--no-same-owner"), archive(directories, files), "write into " + into);
    }

    /**
     * Replaces {@code dir/fileName} (making {@code dir} if missing), mode 600 in a directory of mode 700: for files
     * only their owner may read, such as {@code ~/.ssh/authorized_keys}.
     */
    public static void replacePrivate(HostAccount account, Path dir, String fileName, String content) {
        if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        // paths as arguments, never inside the script: nothing is quoted into a shell
        run(account, List.of("sh", "-c", "umask 077 && mkdir -p -- \"$1\" && chmod 700 -- \"$1\" && cat > \"$1/.$2.ds01-new\" "
                + "&& mv -f -- \"$1/.$2.ds01-new\" \"$1/$2\"", "sh", dir.toString(), fileName),
                content.getBytes(StandardCharsets.UTF_8), "write " + dir.resolve(fileName));
    }

    /** Adds {@code text} to the end of {@code file} as its owner, when its directory exists (a workspace). */
    public static void append(HostAccount account, Path file, String text) {
        run(account, List.of("sh", "-c", "[ -d \"$(dirname -- \"$1\")\" ] && cat >> \"$1\"", "sh", file.toString()),
                text.getBytes(StandardCharsets.UTF_8), "add to " + file);
    }

    /** The file's text as its owner reads it (a link they planted leads only where they may read), or empty. */
    public static java.util.Optional<String> read(HostAccount account, Path file) {
        String text = run(account, List.of("sh", "-c", "if [ -e \"$1\" ]; then cat -- \"$1\"; else echo ds01-no-such-file >&2; "
                + "exit 3; fi", "sh", file.toString()), new byte[0], "read " + file, 3);
        return text == null ? java.util.Optional.empty() : java.util.Optional.of(text);
    }

    private static String run(HostAccount account, List<String> what, byte[] input, String purpose) {
        return run(account, what, input, purpose, -1);
    }

    /** Runs {@code what} as the user with {@code input} on stdin; its stdout, or null when it exits {@code absent}. */
    private static String run(HostAccount account, List<String> what, byte[] input, String purpose, int absent) {
        List<String> command = new ArrayList<>();
        int me = (int) new UnixSystem().getUid();
        if (me == 0) {
            command.addAll(List.of("setpriv", "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups",
                    "--"));
        } else if (me != account.uid()) {
            throw new IllegalStateException("The portal runs as uid " + me + " and cannot " + purpose + " as "
                    + account.username() + "; run it as root (see the README's Deploy section).");
        }
        command.addAll(what);
        try {
            Process process = new ProcessBuilder(command).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(input);
            }
            byte[] out;
            byte[] err;
            try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
                out = stdout.readAllBytes();
                err = stderr.readAllBytes();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Could not " + purpose + " within 30 s.");
            }
            if (process.exitValue() == absent) {
                return null;
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Could not " + purpose + " as " + account.username() + ": "
                        + new String(err, StandardCharsets.UTF_8).strip() + new String(out, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not " + purpose + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + purpose, e);
        }
    }

    private static byte[] archive(List<String> directories, Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : directories) {
                TarArchiveEntry entry = new TarArchiveEntry(dir + "/");
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setMode(0100644);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
