package ds01.identity;

import ds01.process.Command;
import ds01.process.ProcessFailedException;
import ds01.process.ProcessResult;
import ds01.process.ProcessRunner;
import ds01.process.RunAs;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes files into a user's directory with the user's own rights: a tar stream unpacked by {@code tar} run as
 * them ({@code setpriv}, without the portal's supplementary groups). The portal runs as root; writing a tree into a
 * directory the user owns as root would follow any link they planted there mid-way. As the user, a planted link
 * only leads where they may write anyway, and everything made is theirs without a chown.
 */
@ApplicationScoped
public class UserFiles {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProcessRunner processes;

    public UserFiles(ProcessRunner processes) {
        this.processes = processes;
    }

    /**
     * Unpacks {@code directories} and {@code files} (paths relative to {@code into}) without replacing anything that
     * exists.
     *
     * @throws IllegalStateException when tar refuses (an existing file, no permission), with its words
     */
    public void write(HostAccount account, Path into, List<String> directories, Map<String, String> files) {
        run(account, List.of("tar", "--extract", "--file=-", "--directory=" + into, "--keep-old-files",
                "--no-same-owner"), archive(directories, files), "write into " + into);
    }

    /**
     * Replaces {@code dir/fileName} (making {@code dir} if missing), mode 600 in a directory of mode 700: for files
     * only their owner may read, such as {@code ~/.ssh/authorized_keys}.
     */
    public void replacePrivate(HostAccount account, Path dir, String fileName, String content) {
        if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        // paths as arguments, never inside the script: nothing is quoted into a shell
        run(account, List.of("sh", "-c", "umask 077 && mkdir -p -- \"$1\" && chmod 700 -- \"$1\" && cat > \"$1/.$2.ds01-new\" "
                + "&& mv -f -- \"$1/.$2.ds01-new\" \"$1/$2\"", "sh", dir.toString(), fileName),
                content.getBytes(StandardCharsets.UTF_8), "write " + dir.resolve(fileName));
    }

    /** Adds {@code text} to the end of {@code file} as its owner, when its directory exists (a workspace). */
    public void append(HostAccount account, Path file, String text) {
        run(account, List.of("sh", "-c", "[ -d \"$(dirname -- \"$1\")\" ] && cat >> \"$1\"", "sh", file.toString()),
                text.getBytes(StandardCharsets.UTF_8), "add to " + file);
    }

    /** The file's text as its owner reads it (a link they planted leads only where they may read), or empty. */
    public Optional<String> read(HostAccount account, Path file) {
        return run(account, List.of("sh", "-c", "if [ -e \"$1\" ]; then cat -- \"$1\"; else echo ds01-no-such-file >&2; "
                + "exit 3; fi", "sh", file.toString()), new byte[0], "read " + file, 3);
    }

    private void run(HostAccount account, List<String> what, byte[] input, String purpose) {
        run(account, what, input, purpose, -1);
    }

    /**
     * Runs {@code what} as the user with {@code input} on stdin; its stdout, or empty when it exits {@code absent}.
     *
     * @throws IllegalStateException when it fails, does not finish in time or cannot run as the user
     */
    private Optional<String> run(HostAccount account, List<String> what, byte[] input, String purpose, int absent) {
        Command command = Command.of(TIMEOUT, what).as(RunAs.user(account.username(), account.uid(), account.gid()))
                .withStdin(input);
        ProcessResult result;
        try {
            result = processes.run(command);
        } catch (ProcessFailedException e) {
            throw new IllegalStateException("Could not " + purpose + " as " + account.username() + ": "
                    + e.getMessage(), e);
        }
        if (result.exitCode() == absent) {
            return Optional.empty();
        }
        if (!result.succeeded() || result.stdoutCut()) {
            throw new IllegalStateException("Could not " + purpose + " as " + account.username() + ": "
                    + (result.succeeded() ? "more than " + command.outputLimit() / 1024 + " KiB" : result.endOfErrors()));
        }
        return Optional.of(result.stdout());
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
