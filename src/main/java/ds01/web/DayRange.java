package ds01.web;

import jakarta.ws.rs.BadRequestException;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The days an admin page covers, {@code first} to {@code last} inclusive, from its {@code from} and {@code to}
 * query parameters (yyyy-mm-dd, as a date input sends them). Missing ends default to the last
 * {@code defaultDays} up to today; a malformed, reversed or too long range is a 400 that says which.
 */
public record DayRange(LocalDate first, LocalDate last) {

    public static DayRange parse(String from, String to, int defaultDays, int maxDays, ZoneId zone) {
        LocalDate today = LocalDate.now(zone);
        LocalDate last = to == null || to.isBlank() ? today : date("to", to);
        LocalDate first = from == null || from.isBlank() ? last.minusDays(defaultDays - 1L) : date("from", from);
        if (last.isBefore(first)) {
            throw new BadRequestException("The period ends (" + last + ") before it starts (" + first + ").");
        }
        if (first.plusDays(maxDays).isBefore(last.plusDays(1))) {
            throw new BadRequestException("Choose at most " + maxDays + " days; " + first + " to " + last + " is longer.");
        }
        return new DayRange(first, last);
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(Quoted.of(value) + " is not a date for \"" + name + "\": write it as "
                    + "yyyy-mm-dd, e.g. " + LocalDate.now() + ".");
        }
    }
}
