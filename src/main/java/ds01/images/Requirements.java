package ds01.images;

import java.util.ArrayList;
import java.util.List;

/**
 * A requirements.txt a user pasted or uploaded, read line by line: packages only. Comments and blank lines are
 * skipped; options ({@code -r}, {@code -e}, {@code --extra-index-url}, ...) and line continuations are refused
 * with their line number, as is any line that is not a plain requirement.
 */
public final class Requirements {

    static final int MAX_LINES = 1000;
    /** A requirements.txt of a thousand long lines; anything bigger is not one. */
    static final int MAX_UPLOAD_BYTES = 64 * 1024;

    private Requirements() {
    }

    /** @throws InvalidPackageException naming the first line that is not a package */
    public static List<PipPackage> parse(String text) {
        List<PipPackage> packages = new ArrayList<>();
        String[] lines = (text == null ? "" : text).split("\r?\n", -1);
        if (lines.length > MAX_LINES) {
            throw new InvalidPackageException("The requirements have " + lines.length + " lines; at most " + MAX_LINES
                    + " are taken.");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = withoutComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("-")) {
                throw new InvalidPackageException("line " + (i + 1) + ": \"" + PipPackage.printable(line) + "\" is an "
                        + "option; the portal takes package lines only (no -r, -c, -e, --index-url or "
                        + "--extra-index-url: images install from the site's package index).");
            }
            if (line.endsWith("\\")) {
                throw new InvalidPackageException("line " + (i + 1) + ": line continuations are not taken; put each "
                        + "package on one line.");
            }
            try {
                packages.add(PipPackage.parse(line));
            } catch (InvalidPackageException e) {
                throw new InvalidPackageException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return List.copyOf(packages);
    }

    /**
     * The text of an uploaded requirements file, checked to be one: at most {@link #MAX_UPLOAD_BYTES}, UTF-8. The
     * lines themselves are checked by {@link #parse} with the rest of the form.
     *
     * @throws jakarta.ws.rs.WebApplicationException 413 for a bigger file, 400 for one that is not UTF-8 text
     */
    public static String readUpload(java.nio.file.Path file, String fileName) {
        try {
            long size = java.nio.file.Files.size(file);
            if (size > MAX_UPLOAD_BYTES) {
                throw new jakarta.ws.rs.WebApplicationException(PipPackage.printable(fileName) + " is " + size / 1024
                        + " KiB; a requirements file may have " + MAX_UPLOAD_BYTES / 1024 + " KiB at most.", 413);
            }
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new jakarta.ws.rs.BadRequestException(PipPackage.printable(fileName) + " is not a text file (UTF-8); "
                    + "upload a requirements.txt.");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the uploaded " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** pip's rule: a # at the start of a line or after white space starts a comment. */
    private static String withoutComment(String line) {
        if (line.startsWith("#")) {
            return "";
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s#").matcher(line);
        return m.find() ? line.substring(0, m.start()) : line;
    }
}
