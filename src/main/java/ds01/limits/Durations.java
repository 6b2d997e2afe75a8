package ds01.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as DS01 writes them: {@code 48h}, {@code 0.5h}, {@code 30m}, {@code 90s} (and {@code 2d}).
 * Amounts go through BigDecimal so that {@code 0.01h} is exactly 36 seconds, not 35.999...
 */
public final class Durations {

    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smhd])");

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not a number followed by s, m, h or d */
    public static Duration parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration like 30m, 0.5h or 48h: \"" + text + "\"");
        }
        ChronoUnit unit = switch (m.group(2)) {
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        return of(new BigDecimal(m.group(1)), unit);
    }

    /** @throws IllegalArgumentException for negative or absurdly large amounts */
    public static Duration of(BigDecimal amount, ChronoUnit unit) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("negative duration: " + amount.toPlainString());
        }
        try {
            long nanos = amount.multiply(BigDecimal.valueOf(unit.getDuration().toNanos()))
                    .setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: " + amount.toPlainString() + " " + unit, e);
        }
    }

    /** The shortest DS01-style spelling in the largest unit that divides exactly: 30m, 48h, 36s. */
    public static String human(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toNanos() % ChronoUnit.HOURS.getDuration().toNanos() == 0) {
            return d.toHours() + "h";
        }
        if (d.toNanos() % ChronoUnit.MINUTES.getDuration().toNanos() == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
