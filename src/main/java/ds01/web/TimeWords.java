package ds01.web;

import io.quarkus.qute.TemplateExtension;

import java.time.Duration;
import java.time.OffsetDateTime;

/** Durations and moments as a person reads them ("9 min", "2 h 5 min ago"), in code and as Qute extensions. */
@TemplateExtension
public final class TimeWords {

    private TimeWords() {
    }

    public static String of(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return Math.max(0, duration.toSeconds()) + " s";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " min";
        }
        return minutes / (24 * 60) + " d " + minutes / 60 % 24 + " h";
    }

    /** {@code {since.ago}}: "12 min ago". */
    static String ago(OffsetDateTime moment) {
        return of(Duration.between(moment, OffsetDateTime.now())) + " ago";
    }

    /** {@code {startedAt.since}}: "2 h 5 min" (an uptime). */
    static String since(OffsetDateTime moment) {
        return of(Duration.between(moment, OffsetDateTime.now()));
    }

    /** {@code {until.left}}: "9 min", or "now" once it has passed. */
    static String left(OffsetDateTime moment) {
        Duration left = Duration.between(OffsetDateTime.now(), moment);
        return left.isNegative() ? "now" : of(left);
    }
}
