package ds01.pages;

import ds01.events.AuditLog;
import ds01.events.AuditEvent;
import ds01.identity.AccessPolicy;
import ds01.web.Csv;
import ds01.web.DayRange;
import ds01.web.Quoted;
import ds01.web.UserName;
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
import jakarta.ws.rs.core.StreamingOutput;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** For admins: the audit log, searched by user, action and days, on a page or as CSV. */
@Path("/admin/audit")
public class AuditResource {

    /** Rows on the page; the CSV holds up to {@link #CSV_ROWS}. */
    static final int PAGE_ROWS = 500;
    static final int CSV_ROWS = 100_000;
    static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,30}(\\.[a-z0-9-]{1,30})?\\.?");

    /** What the form shows again, as typed. */
    public record Filter(String user, String action, DayRange range) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Filter filter, List<AuditEvent> events, long total, int shown,
                List<String> actions);
    }

    private final AccessPolicy access;
    private final SecurityIdentity identity;
    private final AuditLog auditLog;

    public AuditResource(AccessPolicy access, SecurityIdentity identity, AuditLog auditLog) {
        this.auditLog = auditLog;
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("user") String user, @QueryParam("action") String action,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        access.requireAdmin(identity, "The audit log");
        DayRange range = DayRange.parse(from, to, 7, 400, ZoneId.systemDefault());
        AuditEvent.Search search = search(user, action, range);
        List<AuditEvent> events = auditLog.search(search, PAGE_ROWS);
        return Templates.audit(new Filter(search.user().orElse(""), search.action().orElse(""), range), events,
                auditLog.count(search), events.size(), auditLog.actions());
    }

    @GET
    @Path("csv")
    @Produces(Csv.MEDIA_TYPE)
    public Response csv(@QueryParam("user") String user, @QueryParam("action") String action,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        access.requireAdmin(identity, "The audit log");
        DayRange range = DayRange.parse(from, to, 7, 400, ZoneId.systemDefault());
        AuditEvent.Search search = search(user, action, range);
        List<AuditEvent> events = auditLog.search(search, CSV_ROWS);
        StreamingOutput body = out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(Csv.row("occurred_at", "actor_kind", "actor", "action", "target", "detail", "node"));
            for (AuditEvent e : events) {
                w.write(Csv.row(e.occurredAt, e.actorKind, e.actor, e.action, e.target, e.detail, e.node));
            }
            w.flush();
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_DISPOSITION, Csv.attachment("audit-" + range.first()
                + "-to-" + range.last() + ".csv")).build();
    }

    private static AuditEvent.Search search(String user, String action, DayRange range) {
        Optional<String> who = Optional.ofNullable(user).map(String::strip).filter(u -> !u.isEmpty());
        if (who.isPresent() && !UserName.isValid(who.get())) {
            throw new BadRequestException(Quoted.of(who.get()) + " is not a user name: "
                    + UserName.DESCRIPTION + ".");
        }
        Optional<String> what = Optional.ofNullable(action).map(String::strip).filter(a -> !a.isEmpty());
        if (what.isPresent() && !ACTION.matcher(what.get()).matches()) {
            throw new BadRequestException(Quoted.of(what.get()) + " is not an action: pick one from the "
                    + "list, or a prefix ending in a dot such as container.");
        }
        ZoneId zone = ZoneId.systemDefault();
        return new AuditEvent.Search(who, what, range.first().atStartOfDay(zone).toOffsetDateTime(),
                range.last().plusDays(1).atStartOfDay(zone).toOffsetDateTime());
    }

}
