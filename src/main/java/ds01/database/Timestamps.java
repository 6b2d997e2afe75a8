package ds01.database;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A {@code timestamptz} column of a native query, which Hibernate hands back as an Instant or an OffsetDateTime. */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime of(Object column) {
        if (column == null) {
            return null;
        }
        return column instanceof OffsetDateTime t ? t : ((Instant) column).atOffset(ZoneOffset.UTC);
    }
}
