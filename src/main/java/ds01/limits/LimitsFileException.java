package ds01.limits;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A limits file the portal refuses, said so an admin can fix it without reading code:
 * {@code config/resource-limits.yaml line 12, key groups.researcher.max_cpus: expected a number of CPUs, got "lots"}.
 */
public class LimitsFileException extends RuntimeException {

    private final String file;
    private final OptionalInt line;
    private final Optional<String> key;
    private final String expected;
    private final Optional<String> got;

    public LimitsFileException(String file, OptionalInt line, Optional<String> key, String expected,
            Optional<String> got, Throwable cause) {
        super(message(file, line, key, expected, got), cause);
        this.file = file;
        this.line = line;
        this.key = key;
        this.expected = expected;
        this.got = got;
    }

    /** A value that does not fit its key. */
    static LimitsFileException at(String file, int line, String key, String expected, String got) {
        return new LimitsFileException(file, OptionalInt.of(line), Optional.of(key), expected, Optional.ofNullable(got),
                null);
    }

    private static String message(String file, OptionalInt line, Optional<String> key, String expected,
            Optional<String> got) {
        StringBuilder b = new StringBuilder(file);
        line.ifPresent(n -> b.append(" line ").append(n));
        key.ifPresent(k -> b.append(", key ").append(k));
        b.append(": ");
        if (key.isPresent()) {
            b.append("expected ");
        }
        b.append(expected);
        got.ifPresent(g -> b.append(", got \"").append(g).append('"'));
        return b.toString();
    }

    /** The file as configured (the path the admin wrote, not a resolved absolute one). */
    public String file() {
        return file;
    }

    /** 1-based line, empty when the problem is the file as a whole (missing, unreadable). */
    public OptionalInt line() {
        return line;
    }

    /** Dotted key path ({@code groups.researcher.max_cpus}), empty for syntax errors. */
    public Optional<String> key() {
        return key;
    }

    /** What the file should have said there, or the parser's problem for syntax errors. */
    public String expected() {
        return expected;
    }

    /** What the file said, when there is a value to quote. */
    public Optional<String> got() {
        return got;
    }
}
