package ds01.pages;

import ds01.identity.AccessPolicy;
import ds01.limits.LimitsService;
import ds01.web.JobRuns;
import ds01.web.PortalStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

/**
 * For admins: the portal's health in one page. The outside systems (database, Docker engine, nvidia-smi) checked
 * now, the limits file as loaded, and each scheduled job's last and next run.
 */
@Path("/admin/health")
@Produces(MediaType.TEXT_HTML)
public class HealthResource {

    /** The limits file: where it was read from, when, and what went wrong with the last reload, if anything. */
    public record LimitsFileState(String path, OffsetDateTime loadedAt, String reloadError, int ignoredKeys) {
    }

    /** One scheduled job: its last run (and how it ended) and its next. */
    public record Job(String id, OffsetDateTime last, OffsetDateTime next, boolean overdue, boolean failed,
            String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance health(List<PortalStatus.Check> checks, LimitsFileState limits, List<Job> jobs,
                OffsetDateTime since);
    }

    private static final OffsetDateTime STARTED = OffsetDateTime.now(ZoneOffset.UTC);

    private final PortalStatus status;
    private final LimitsService limits;
    private final Scheduler scheduler;
    private final JobRuns runs;
    private final AccessPolicy access;
    private final SecurityIdentity identity;

    public HealthResource(PortalStatus status, LimitsService limits, Scheduler scheduler, JobRuns runs,
            AccessPolicy access, SecurityIdentity identity) {
        this.status = status;
        this.limits = limits;
        this.scheduler = scheduler;
        this.runs = runs;
        this.access = access;
        this.identity = identity;
    }

    @GET
    public TemplateInstance page() {
        access.requireAdmin(identity, "The health page");
        // an admin looking here wants the state now, not the pages' 10-second cache
        status.refresh();
        LimitsFileState file = new LimitsFileState(limits.loadedFrom().toString(), at(limits.loadedAt()),
                limits.reloadError().map(e -> e.message() + " (at " + e.at() + ")").orElse(null),
                limits.ignoredKeys().size());
        List<Job> jobs = scheduler.getScheduledJobs().stream().sorted(Comparator.comparing(Trigger::getId))
                .map(t -> {
                    var last = runs.of(t.getId());
                    return new Job(t.getId(), last.map(r -> at(r.at())).orElse(at(t.getPreviousFireTime())),
                            at(t.getNextFireTime()), t.isOverdue(), last.map(JobRuns.LastRun::failed).orElse(false),
                            last.map(JobRuns.LastRun::error).orElse(null));
                }).toList();
        return Templates.health(status.checks(), file, jobs, STARTED);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
