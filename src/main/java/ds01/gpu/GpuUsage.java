package ds01.gpu;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
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

    private final EntityManager em;

    public GpuUsage(EntityManager em) {
        this.em = em;
    }

    /** GPU-hours by user name in the period, largest first; users without any are left out. */
    @SuppressWarnings("unchecked")
    public Map<String, Double> hoursByUser(Period period) {
        OffsetDateTime from = OffsetDateTime.ofInstant(period.from(), ZoneOffset.UTC);
        OffsetDateTime to = OffsetDateTime.ofInstant(period.to(), ZoneOffset.UTC);
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select u.username, sum(a.weight * extract(epoch from (least(coalesce(a.released_at, now()), ?2) "
                                + "- greatest(a.allocated_at, ?1))) / 3600) as hours from allocation a "
                                + "join portal_user u on u.id = a.owner_id where a.node = ?3 and a.allocated_at < ?2 "
                                + "and coalesce(a.released_at, now()) > ?1 group by u.username order by hours desc, 1")
                .setParameter(1, from).setParameter(2, to).setParameter(3, Allocator.NODE).getResultList());
        Map<String, Double> hours = new LinkedHashMap<>();
        for (Object[] row : rows) {
            double h = ((Number) row[1]).doubleValue();
            if (h > 0) {
                hours.put((String) row[0], h);
            }
        }
        return hours;
    }
}
