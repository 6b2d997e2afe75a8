package ds01.gpu;

import ds01.identity.AccessPolicy;
import ds01.limits.UserLimits;
import ds01.web.Csv;
import ds01.web.DayRange;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** For admins: GPU-hours per user and per group over a chosen period, as tables, bar charts and CSV. */
@Path("/admin/usage")
public class UsageResource {

    /** Group shown for users the limits file puts in no group. */
    static final String NO_GROUP = "(no group)";

    /** One bar: a user or group, its GPU-hours, its share of the period's total and of the largest bar. */
    public record Bar(String name, double hours, double share, double ofLargest, String detail) {

        public String hoursText() {
            return String.format(Locale.ROOT, "%.1f", hours);
        }

        public String percent() {
            return String.format(Locale.ROOT, "%.0f%%", share * 100);
        }

        /** Width of the bar in the chart, per cent of the largest. */
        public String width() {
            return String.format(Locale.ROOT, "%.1f%%", Math.max(0.5, ofLargest * 100));
        }
    }

    /** One table and chart of the report: by user (with each user's group) or by group. */
    public record Section(String by, String heading, List<Bar> bars) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance usage(DayRange range, String total, List<Section> sections);
    }

    private final GpuUsage usage;
    private final UserLimits userLimits;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public UsageResource(GpuUsage usage, UserLimits userLimits, AccessPolicy access, SecurityIdentity identity) {
        this.usage = usage;
        this.userLimits = userLimits;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("from") String from, @QueryParam("to") String to) {
        access.requireAdmin(identity, "The usage report");
        DayRange range = range(from, to);
        Map<String, Double> byUser = usage.hoursByUser(period(range));
        double total = byUser.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, String> groups = groupsOf(byUser);
        return Templates.usage(range, String.format(Locale.ROOT, "%.1f", total), List.of(
                new Section("user", "User", bars(byUser, total, groups)),
                new Section("group", "Group", bars(byGroup(byUser, groups), total, Map.of()))));
    }

    /** {@code by=user} (user, group, GPU-hours) or {@code by=group} (group, users, GPU-hours). */
    @GET
    @Path("csv")
    @Produces(Csv.MEDIA_TYPE)
    public Response csv(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("by") String by) {
        access.requireAdmin(identity, "The usage report");
        DayRange range = range(from, to);
        boolean byGroup = "group".equals(by);
        if (by != null && !by.equals("user") && !byGroup) {
            throw new BadRequestException("by must be \"user\" or \"group\", not \"" + by + "\".");
        }
        Map<String, Double> byUser = usage.hoursByUser(period(range));
        Map<String, String> groups = groupsOf(byUser);
        StringBuilder out = new StringBuilder();
        if (byGroup) {
            out.append(Csv.row("group", "users", "gpu_hours", "from", "to"));
            Map<String, Long> members = groups.values().stream()
                    .collect(Collectors.groupingBy(g -> g, Collectors.counting()));
            byGroup(byUser, groups).forEach((group, h) -> out.append(Csv.row(group, members.get(group), round(h), range.first(),
                    range.last())));
        } else {
            out.append(Csv.row("user", "group", "gpu_hours", "from", "to"));
            byUser.forEach((user, h) -> out.append(Csv.row(user, groups.get(user), round(h), range.first(), range.last())));
        }
        return Response.ok(out.toString()).header(HttpHeaders.CONTENT_DISPOSITION, Csv.attachment("gpu-hours-by-"
                + (byGroup ? "group" : "user") + "-" + range.first() + "-to-" + range.last() + ".csv")).build();
    }

    private static DayRange range(String from, String to) {
        return DayRange.parse(from, to, 30, 400, ZoneId.systemDefault());
    }

    private static GpuUsage.Period period(DayRange range) {
        return GpuUsage.Period.days(range.first(), range.last(), ZoneId.systemDefault());
    }

    private static String round(double hours) {
        return String.format(Locale.ROOT, "%.2f", hours);
    }

    private Map<String, String> groupsOf(Map<String, Double> byUser) {
        Map<String, String> groups = new LinkedHashMap<>();
        byUser.keySet().forEach(u -> groups.put(u, userLimits.of(u).group().orElse(NO_GROUP)));
        return groups;
    }

    /** {@code groups}: each user's group, as {@link #groupsOf} found them (one limits look-up a user). */
    private static Map<String, Double> byGroup(Map<String, Double> byUser, Map<String, String> groups) {
        Map<String, Double> hours = new LinkedHashMap<>();
        byUser.forEach((user, h) -> hours.merge(groups.get(user), h, Double::sum));
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(hours.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Bar> bars(Map<String, Double> hours, double total, Map<String, String> details) {
        double largest = hours.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        return hours.entrySet().stream().map(e -> new Bar(e.getKey(), e.getValue(), total == 0 ? 0 : e.getValue() / total,
                largest == 0 ? 0 : e.getValue() / largest, details.getOrDefault(e.getKey(), ""))).toList();
    }
}
