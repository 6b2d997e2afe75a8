package ds01.images;

import java.util.regex.Pattern;

/** A Debian package name as Debian policy defines it, with an optional {@code =version}. */
public final class AptPackage {

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9][a-z0-9+.-]+(?:=[A-Za-z0-9.+~:-]+)?");

    private AptPackage() {
    }

    /** @throws InvalidPackageException unless {@code text} is a Debian package name */
    public static String parse(String text) {
        String name = text == null ? "" : text.strip();
        if (name.length() > 120 || !GRAMMAR.matcher(name).matches()) {
            throw new InvalidPackageException("\"" + PipPackage.printable(name) + "\" is not a Debian package name "
                    + "(lower-case letters, digits, + . -, at least two characters; optionally =version), e.g. "
                    + "libgl1 or ffmpeg.");
        }
        return name;
    }
}
