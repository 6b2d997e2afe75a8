package ds01.limits;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as Docker and DS01 write them: {@code 32g}, {@code 512m}, {@code 16G}, {@code 1T}, with
 * binary multiples as Docker uses them (1g = 1024^3 bytes). A bare number is refused: in a limits
 * file {@code memory: 32} is far more likely a forgotten unit than 32 bytes.
 */
public final class ByteSizes {

    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgtp])(?:i?b)?|(b))",
            Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "bkmgtp";

    private ByteSizes() {
    }

    /** @throws IllegalArgumentException when the text is not a size like 32g, or not a whole number of bytes */
    public static long parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size like 32g, 512m or 1T: \"" + text + "\"");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase();
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(10 * UNITS.indexOf(unit)));
        try {
            return bytes.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("not a whole number of bytes: \"" + text + "\"", e);
        }
    }

    /** The largest binary unit that divides exactly, lower case as DS01 writes it: 32g, 512m. */
    public static String human(long bytes) {
        for (int i = UNITS.length() - 1; i > 0; i--) {
            long unit = 1L << (10 * i);
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + String.valueOf(UNITS.charAt(i));
            }
        }
        return bytes + "b";
    }
}
