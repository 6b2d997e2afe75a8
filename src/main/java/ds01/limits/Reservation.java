package ds01.limits;

import java.time.LocalDateTime;
import java.util.List;

/**
 * A time-boxed GPU reservation from a user override ({@code reserved_gpus}, {@code reservation_start},
 * {@code reservation_end}, {@code reason}). GPU slots are written as DS01 names them: "0" or "0.1".
 */
public record Reservation(List<String> gpus, LocalDateTime start, LocalDateTime end, String reason) {
    public Reservation {
        gpus = List.copyOf(gpus);
    }

    public boolean isActiveAt(LocalDateTime t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
