package ds01.gpu;

import ds01.identity.PortalUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPU-hours: for each allocation, its weight (a whole GPU 1, a 1g.10gb slice 1/7) times the hours it overlapped a
 * period, held after a stop included, since a held slot is closed to everyone else. Read from the allocation
 * history, which the portal never deletes.
 */
@ApplicationScoped
public class GpuUsage {

    /** A period [from, to), in the server's time zone where it names days. */
    public record Period(Instant from, Instant to) {

        public Period {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("a usage period must end after it starts");
            }
        }

        /** Whole days, {@code first} to {@code last} inclusive. */
        public static Period days(LocalDate first, LocalDate last, ZoneId zone) {
            return new Period(first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant());
        }

        /** Since Monday 00:00 of this week. */
        public static Period thisWeek(Instant now, ZoneId zone) {
            LocalDate monday = now.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
            return new Period(monday.atStartOfDay(zone).toInstant(), now);
        }

        /** Since the first of this month, 00:00. */
        public static Period thisMonth(Instant now, ZoneId zone) {
            LocalDate first = now.atZone(zone).toLocalDate().withDayOfMonth(1);
            return new Period(first.atStartOfDay(zone).toInstant(), now);
        }
    }

    private final Allocations allocations;
    private final PortalUsers users;

    public GpuUsage(Allocations allocations, PortalUsers users) {
        this.allocations = allocations;
        this.users = users;
    }

    /** GPU-hours by user name in the period, largest first; users without any are left out. */
    public Map<String, Double> hoursByUser(Period period) {
        OffsetDateTime from = OffsetDateTime.ofInstant(period.from(), ZoneOffset.UTC);
        OffsetDateTime to = OffsetDateTime.ofInstant(period.to(), ZoneOffset.UTC);
        Map<Long, Double> byOwner = QuarkusTransaction.requiringNew().call(() -> allocations.hoursByOwner(from, to));
        Map<Long, String> names = users.usernamesOf(byOwner.keySet());
        // largest first, then by name, as the page and the CSV list them
        Map<String, Double> hours = new LinkedHashMap<>();
        byOwner.entrySet().stream().filter(e -> e.getValue() > 0 && names.containsKey(e.getKey()))
                .sorted(Comparator.<Map.Entry<Long, Double>>comparingDouble(Map.Entry::getValue).reversed()
                        .thenComparing(e -> names.get(e.getKey())))
                .forEach(e -> hours.put(names.get(e.getKey()), e.getValue()));
        return hours;
    }
}
