package ds01.images;

import ds01.web.Printable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One pip requirement a user typed, checked against PEP 508's grammar narrowed to what an image needs: a name,
 * optional [extras], optional version specifiers ({@code numpy}, {@code torch[cuda]>=2.1,<3}). No URLs, no
 * options, no environment markers, no spaces inside a version, nothing a shell would read: so it can be written
 * into a Dockerfile as is (invariant 7).
 *
 * @param spec           the requirement as written, without surrounding space
 * @param normalizedName the name as pip compares names (PEP 503: lower case, runs of -_. as one -)
 */
public record PipPackage(String spec, String name, String normalizedName) {

    private static final String NAME = "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?";
    private static final String VERSION = "[A-Za-z0-9*+!._-]+";
    private static final String CLAUSE = "(?:~=|===|==|!=|<=|>=|<|>)\\s*" + VERSION;
    private static final Pattern GRAMMAR = Pattern.compile("(" + NAME + ")\\s*(?:\\[\\s*" + NAME + "(?:\\s*,\\s*" + NAME
            + ")*\\s*\\])?\\s*(?:" + CLAUSE + "(?:\\s*,\\s*" + CLAUSE + ")*)?");

    /** @throws InvalidPackageException for anything but a plain requirement, saying what is accepted */
    public static PipPackage parse(String text) {
        String spec = text == null ? "" : text.strip();
        java.util.regex.Matcher m = GRAMMAR.matcher(spec);
        if (spec.length() > 200 || !m.matches()) {
            throw new InvalidPackageException("\"" + printable(spec) + "\" is not a pip package: write a name, optional "
                    + "[extras] and optional versions, e.g. numpy, torch[cuda]>=2.1,<3. URLs, options (-e, --index-url), "
                    + "environment markers and shell characters are not taken.");
        }
        return new PipPackage(spec.replaceAll("\\s+", ""), m.group(1), normalize(m.group(1)));
    }

    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** See {@link Printable}. */
    static String printable(String text) {
        return Printable.of(text);
    }
}
