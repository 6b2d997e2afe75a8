package ds01.pages;

import ds01.identity.PortalUsers;
import ds01.containers.ContainerListing;
import ds01.gpu.Allocator;
import ds01.gpu.GpuUsage;
import ds01.identity.AccessPolicy;
import ds01.identity.PortalUser;
import ds01.limits.EffectiveLimitsView;
import ds01.limits.UserLimits;
import ds01.limits.ValueView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * For admins: everyone who has signed in, with their limits group, the limits that matter most (and where each
 * comes from), their containers, the GPU slots they hold and their GPU-hours this week and this month.
 */
@Path("/admin/users")
@Produces(MediaType.TEXT_HTML)
public class UsersResource {

    private static final Logger LOG = Logger.getLogger(UsersResource.class);

    /** The limits shown per user; the rest are one click away on the user's limits page. */
    static final List<String> SHOWN_LIMITS = List.of("max_mig_instances", "max_gpu_equivalents",
            "max_containers_per_user", "max_runtime", "idle_timeout");

    /** One user's row. {@code group} is empty and {@code problem} says why when their limits could not be read. */
    public record Row(String username, boolean admin, String group, String groupReason, List<ValueView> limits,
            long containers, long running, long gpuUnits, String gpuHoursWeek, String gpuHoursMonth, String problem) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(List<Row> users, List<String> limitNames);
    }

    private final ContainerListing listing;
    private final Allocator allocator;
    private final GpuUsage usage;
    private final UserLimits userLimits;
    private final AccessPolicy access;
    private final SecurityIdentity identity;
    private final PortalUsers portalUsers;

    public UsersResource(ContainerListing listing, Allocator allocator, GpuUsage usage, UserLimits userLimits,
            AccessPolicy access, SecurityIdentity identity, PortalUsers portalUsers) {
        this.portalUsers = portalUsers;
        this.listing = listing;
        this.allocator = allocator;
        this.usage = usage;
        this.userLimits = userLimits;
        this.access = access;
        this.identity = identity;
    }

    @GET
    public TemplateInstance page() {
        access.requireAdmin(identity, "The users page");
        List<PortalUser> users = portalUsers.everyone();
        Map<String, List<ContainerListing.ContainerView>> containers = listing.of(Optional.empty()).stream()
                .collect(Collectors.groupingBy(ContainerListing.ContainerView::owner));
        Map<String, Long> units = allocator.live(Optional.empty()).stream()
                .collect(Collectors.groupingBy(Allocator.Held::owner, Collectors.counting()));
        Instant now = Instant.now();
        ZoneId zone = ZoneId.systemDefault();
        Map<String, Double> week = usage.hoursByUser(GpuUsage.Period.thisWeek(now, zone));
        Map<String, Double> month = usage.hoursByUser(GpuUsage.Period.thisMonth(now, zone));
        List<Row> rows = new ArrayList<>();
        for (PortalUser u : users) {
            List<ContainerListing.ContainerView> own = containers.getOrDefault(u.username, List.of());
            long running = own.stream().filter(ContainerListing.ContainerView::running).count();
            String group = "";
            String reason = "";
            List<ValueView> limits = List.of();
            String problem = null;
            try {
                EffectiveLimitsView view = EffectiveLimitsView.of(userLimits.of(u.username));
                group = view.group() == null ? "" : view.group();
                reason = view.groupReason();
                Map<String, ValueView> byName = view.limitRows().stream()
                        .collect(Collectors.toMap(ValueView::key, Function.identity()));
                limits = SHOWN_LIMITS.stream().map(byName::get).toList();
            } catch (RuntimeException e) {
                // e.g. the account is gone from the host: the row still shows what they hold
                LOG.warnf("limits of %s not read for the users page: %s", u.username, e.getMessage());
                problem = e.getMessage();
            }
            rows.add(new Row(u.username, u.admin, group, reason, limits, own.size(), running,
                    units.getOrDefault(u.username, 0L), hours(week.get(u.username)), hours(month.get(u.username)),
                    problem));
        }
        return Templates.users(rows, SHOWN_LIMITS);
    }

    private static String hours(Double h) {
        return h == null ? "0" : String.format(Locale.ROOT, "%.1f", h);
    }
}
