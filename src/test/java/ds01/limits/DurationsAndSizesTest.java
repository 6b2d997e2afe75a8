package ds01.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndSizesTest {

    @ParameterizedTest
    @CsvSource({ "48h,PT48H", "0.5h,PT30M", "30m,PT30M", "90s,PT1M30S", "0.01h,PT36S", "2d,PT48H", "0m,PT0S",
            "1.5 h,PT1H30M" })
    void durationsAsDs01WritesThem(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "3 weeks", "30", "h", "-1h", "1.h", "30M", "1h30m", "" })
    void durationsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({ "PT30M,30m", "PT48H,48h", "PT36S,36s", "PT1M30S,90s", "PT0S,0s", "PT0.5S,500ms" })
    void durationsShownInTheLargestExactUnit(String iso, String human) {
        assertEquals(human, Durations.human(Duration.parse(iso)));
    }

    @ParameterizedTest
    @CsvSource({ "0.5,HOURS,PT30M", "0.02,HOURS,PT1M12S", "15,MINUTES,PT15M", "60,SECONDS,PT1M" })
    void bareNumbersInTheUnitOfTheKey(String amount, ChronoUnit unit, String iso) {
        assertEquals(Duration.parse(iso), Durations.of(new BigDecimal(amount), unit));
    }

    @ParameterizedTest
    @CsvSource({ "32g,34359738368", "512m,536870912", "16G,17179869184", "1T,1099511627776", "1.5g,1610612736",
            "64k,65536", "100b,100", "2GB,2147483648", "2GiB,2147483648" })
    void sizesInBytes(String text, long bytes) {
        assertEquals(bytes, ByteSizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "32", "lots", "32x", "-1g", "g", "0.3b" })
    void sizesRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text));
    }

    @ParameterizedTest
    @CsvSource({ "34359738368,32g", "536870912,512m", "1099511627776,1t", "1536,1536b", "1610612736,1536m" })
    void sizesShownAsDs01WritesThem(long bytes, String human) {
        assertEquals(human, ByteSizes.human(bytes));
    }
}
