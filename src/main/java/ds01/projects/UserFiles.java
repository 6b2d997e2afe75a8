package ds01.projects;

import com.sun.security.auth.module.UnixSystem;
import ds01.identity.HostAccount;
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
        List<String> command = new ArrayList<>();
        int me = (int) new UnixSystem().getUid();
        if (me == 0) {
            command.addAll(List.of("setpriv", "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups",
                    "--"));
        } else if (me != account.uid()) {
            throw new IllegalStateException("The portal runs as uid " + me + " and cannot write into "
                    + account.username() + "'s files; run it as root (see the README's Deploy section).");
        }
        command.addAll(List.of("tar", "--extract", "--file=-", "--directory=" + into, "--keep-old-files",
                "--no-same-owner"));
        byte[] archive = archive(directories, files);
        try {
            Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = tar.getOutputStream()) {
                in.write(archive);
            }
            String output;
            try (InputStream out = tar.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!tar.waitFor(30, TimeUnit.SECONDS)) {
                tar.destroyForcibly();
                throw new IllegalStateException("Writing into " + into + " did not finish within 30 s.");
            }
            if (tar.exitValue() != 0) {
                throw new IllegalStateException("Could not write into " + into + " as " + account.username() + ": "
                        + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run tar to write into " + into + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing into " + into, e);
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
