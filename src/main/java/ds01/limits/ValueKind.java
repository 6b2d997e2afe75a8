package ds01.limits;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How one kind of value is written in the limits file and shown back: the grammar, the range, and
 * the two faces of the JSON view (a machine value and a human spelling).
 */
public abstract class ValueKind<T> {

    private final String expected;

    private ValueKind(String expected) {
        this.expected = expected;
    }

    /** What the file should have said, for error messages: "a number of CPUs". */
    public String expected() {
        return expected;
    }

    /**
     * @param text     the scalar as written (never a YAML null: the reader handles null)
     * @param unitHint the unit a key suffix implies ({@code idle_timeout_h} gives HOURS), or null
     */
    abstract T parse(String text, ChronoUnit unitHint) throws RejectedValue;

    /** The value as the JSON view gives it: numbers as numbers, durations as ISO-8601. */
    public abstract Object machine(T value);

    /** The value as DS01 would write it: 32g, 30m, 16. */
    public abstract String human(T value);

    /** Whether keys of this kind may carry a unit suffix ({@code idle_timeout_h}). */
    boolean takesUnitSuffix() {
        return false;
    }

    /** Thrown when a scalar does not fit the kind; the reader adds file, line and key. */
    static final class RejectedValue extends Exception {
        private final String expected;

        RejectedValue(String expected) {
            super(expected);
            this.expected = expected;
        }

        String expected() {
            return expected;
        }
    }

    /** Whole numbers of at least {@code min}: containers, GPU slots, processes. */
    static ValueKind<Integer> wholeNumber(String what, int min, int max) {
        String range = max == Integer.MAX_VALUE ? ", " + min + " or more" : " from " + min + " to " + max;
        return new ValueKind<>(what) {
            @Override
            Integer parse(String text, ChronoUnit unitHint) throws RejectedValue {
                BigDecimal n = number(text, expected());
                try {
                    int v = n.intValueExact();
                    if (v < min || v > max) {
                        throw new RejectedValue(expected() + range);
                    }
                    return v;
                } catch (ArithmeticException e) {
                    throw new RejectedValue(expected() + " (a whole number)" + range);
                }
            }

            @Override
            public Object machine(Integer value) {
                return value;
            }

            @Override
            public String human(Integer value) {
                return value.toString();
            }
        };
    }

    /** Decimal numbers within [min, max]; {@code minExclusive} for CPUs, where 0 would mean "no limit" to Docker. */
    static ValueKind<Double> decimal(String what, double min, boolean minExclusive, double max) {
        String range = minExclusive ? " greater than " + plain(min)
                : max == Double.MAX_VALUE ? ", " + plain(min) + " or more" : " from " + plain(min) + " to " + plain(max);
        return new ValueKind<>(what) {
            @Override
            Double parse(String text, ChronoUnit unitHint) throws RejectedValue {
                double v = number(text, expected()).doubleValue();
                if (v < min || (minExclusive && v == min) || v > max) {
                    throw new RejectedValue(expected() + range);
                }
                return v;
            }

            @Override
            public Object machine(Double value) {
                return value;
            }

            @Override
            public String human(Double value) {
                return plain(value);
            }
        };
    }

    /** Sizes like 32g, kept in bytes; a size needs its unit, so a forgotten "g" is refused, not 32 bytes. */
    static ValueKind<Long> size(String what) {
        return bytes(what + " like 32g, 512m or 1T", false);
    }

    /** A byte count as DS01 writes thresholds: a bare number of bytes (1048576) or a size (1m). */
    static ValueKind<Long> byteCount(String what) {
        return bytes(what + " (a number of bytes, or a size like 1m)", true);
    }

    private static ValueKind<Long> bytes(String expected, boolean bareNumberIsBytes) {
        return new ValueKind<>(expected) {
            @Override
            Long parse(String text, ChronoUnit unitHint) throws RejectedValue {
                long bytes;
                try {
                    bytes = bareNumberIsBytes && text.trim().matches("\\d+") ? Long.parseLong(text.trim())
                            : ByteSizes.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new RejectedValue(expected());
                }
                if (!bareNumberIsBytes && bytes <= 0) {
                    throw new RejectedValue(expected() + ", greater than 0");
                }
                return bytes;
            }

            @Override
            public Object machine(Long value) {
                return value;
            }

            @Override
            public String human(Long value) {
                return ByteSizes.human(value);
            }
        };
    }

    /**
     * Durations: text like 30m under the plain key, a bare number under a key with a unit suffix
     * ({@code idle_timeout_h: 0.5}).
     */
    static ValueKind<Duration> duration(String what) {
        return new ValueKind<>(what) {
            @Override
            boolean takesUnitSuffix() {
                return true;
            }

            @Override
            Duration parse(String text, ChronoUnit unitHint) throws RejectedValue {
                if (unitHint == null) {
                    try {
                        return Durations.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new RejectedValue(expected() + " like 30m, 0.5h or 48h");
                    }
                }
                String unitName = unitHint.toString().toLowerCase();
                BigDecimal n = number(text, "a number of " + unitName);
                if (n.signum() < 0) {
                    throw new RejectedValue("a number of " + unitName + ", 0 or more");
                }
                try {
                    return Durations.of(n, unitHint);
                } catch (IllegalArgumentException e) {
                    throw new RejectedValue("a number of " + unitName + " that fits in a duration");
                }
            }

            @Override
            public Object machine(Duration value) {
                return value.toString();
            }

            @Override
            public String human(Duration value) {
                return Durations.human(value);
            }
        };
    }

    static ValueKind<Boolean> yesNo(String what) {
        return new ValueKind<>(what + " (true or false)") {
            @Override
            Boolean parse(String text, ChronoUnit unitHint) throws RejectedValue {
                return switch (text.trim().toLowerCase()) {
                    case "true", "yes", "on" -> true;
                    case "false", "no", "off" -> false;
                    default -> throw new RejectedValue(expected());
                };
            }

            @Override
            public Object machine(Boolean value) {
                return value;
            }

            @Override
            public String human(Boolean value) {
                return value ? "yes" : "no";
            }
        };
    }

    private static BigDecimal number(String text, String expected) throws RejectedValue {
        try {
            return new BigDecimal(Objects.requireNonNull(text).trim());
        } catch (NumberFormatException e) {
            throw new RejectedValue(expected);
        }
    }

    private static String plain(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
