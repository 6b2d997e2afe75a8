package ds01.web;

import ds01.database.ConnectionLoss;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every error the portal returns says what went wrong in plain words: a styled page for browsers, a small
 * JSON object ({@code status}, {@code error}, {@code message}) for the API and for clients that ask for JSON.
 * Unexpected failures are logged with a reference the user can quote to an admin.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate(basePath = "ErrorPages")
    static class Templates {
        static native TemplateInstance error(int status, String reason, String headline, String message,
                String advice, String icon, String tone, String reference);
    }

    /** The JSON face of an error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(int status, String error, String message, String reference) {
    }

    private record Wording(String headline, String advice) {
    }

    private static final Map<Integer, Wording> WORDING = Map.of(
            400, new Wording("That request could not be understood", "Check what you entered and try again."),
            401, new Wording("Please sign in", "Sign in with your lab account to continue."),
            403, new Wording("You may not do that", "You can act only on what you own. Ask an admin if you need more."),
            404, new Wording("Nothing here", "The page or item may have been removed, or the address is mistyped."),
            405, new Wording("That action is not available here", "Use the buttons and forms of the portal."),
            409, new Wording("That clashes with the current state", "Reload the page to see the latest state."),
            415, new Wording("That format is not accepted", "Send the form as the portal offers it."),
            503, new Wording("A part of the portal is unavailable", "See the status page; try again in a moment."));

    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException exception, HttpHeaders headers,
            UriInfo uriInfo) {
        int status = exception.getResponse().getStatus();
        String message = exception.getMessage();
        // 503 carries words for the user (an outside system is down, e.g. the Docker engine); other 5xx are bugs
        if (status >= 500 && status != 503) {
            return unexpected(exception, headers, uriInfo);
        }
        return render(status, message, null, headers, uriInfo);
    }

    /**
     * A body that ends before it is whole, above all a multipart form cut short (no closing boundary): the
     * framework reads it before any resource and would answer 500.
     */
    @ServerExceptionMapper
    public Response mapUnreadableBody(java.io.IOException exception, HttpHeaders headers, UriInfo uriInfo) {
        return render(400, "The request's body could not be read (" + exception.getMessage() + "): send the form "
                + "again from its page.", null, headers, uriInfo);
    }

    /**
     * A JSON body that does not fit what the endpoint takes: which field, in words. Declared for Jackson's two
     * concrete failures because Quarkus maps those itself, with an empty body, ahead of a broader mapper.
     */
    @ServerExceptionMapper
    public Response mapMismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException exception,
            HttpHeaders headers, UriInfo uriInfo) {
        return unreadableJson(exception, headers, uriInfo);
    }

    @ServerExceptionMapper
    public Response mapMalformedJson(com.fasterxml.jackson.core.JsonParseException exception, HttpHeaders headers,
            UriInfo uriInfo) {
        return unreadableJson(exception, headers, uriInfo);
    }

    private static Response unreadableJson(com.fasterxml.jackson.core.JsonProcessingException exception,
            HttpHeaders headers, UriInfo uriInfo) {
        String message;
        if (exception instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            message = "\"" + unknown.getPropertyName() + "\" is not something this request can ask for; it takes "
                    + unknown.getKnownPropertyIds() + ". Containers get only their workspace and the site's mounts "
                    + "and devices, which admins set.";
        } else {
            message = "The JSON body could not be read: " + exception.getOriginalMessage();
        }
        return render(400, message, null, headers, uriInfo);
    }

    @ServerExceptionMapper
    public Response mapUnexpected(RuntimeException exception, HttpHeaders headers, UriInfo uriInfo) {
        if (ConnectionLoss.caused(exception)) {
            // not a bug to file: the state is safe in the database, which is only out of reach for now
            LOG.warnf("the database did not answer on %s: %s", uriInfo.getPath(),
                    ConnectionLoss.describe(exception));
            return render(503, DATABASE_UNREACHABLE, null, headers, uriInfo);
        }
        return unexpected(exception, headers, uriInfo);
    }

    static final String DATABASE_UNREACHABLE = "The portal's database does not answer at the moment, so this could "
            + "not be done or shown. Nothing was changed, your running containers go on and your files are safe. Try "
            + "again in a minute; the status page shows when the database is back.";

    private Response unexpected(Exception exception, HttpHeaders headers, UriInfo uriInfo) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(exception, "unexpected error on %s (reference %s)", uriInfo.getPath(), reference);
        return render(500, "Something went wrong inside the portal. Nothing you did caused it; an admin can find "
                + "the details in the log under the reference below.", reference, headers, uriInfo);
    }

    static Response render(int status, String message, String reference, HttpHeaders headers, UriInfo uriInfo) {
        return render(status, message, reference, headers.getAcceptableMediaTypes(), uriInfo.getPath());
    }

    static Response render(int status, String message, String reference, List<MediaType> accepted, String path) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "Error" : known.getReasonPhrase();
        String plain = isFrameworkWording(message) ? defaultMessage(status) : message;
        if (wantsHtml(accepted, path)) {
            Wording wording = WORDING.getOrDefault(status, status >= 500
                    ? new Wording("The portal hit a problem", "Try again; if it keeps happening, tell an admin.")
                    : new Wording("That did not work", null));
            TemplateInstance page = Templates.error(status, reason, wording.headline(), plain, wording.advice(),
                    status >= 500 ? "bug" : "exclamation-circle", status >= 500 ? "danger" : "warning", reference);
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(page.render()).build();
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, reason, plain, reference)).build();
    }

    /** Messages the REST layer makes up itself, which mean nothing to a student. */
    private static boolean isFrameworkWording(String message) {
        return message == null || message.isBlank() || message.startsWith("HTTP ")
                || message.startsWith("Unable to find matching");
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 404 -> "There is no page at this address.";
            case 405 -> "This address does not accept that kind of request.";
            case 401 -> "You are not signed in.";
            case 403 -> "You do not have permission for this.";
            case 400 -> "The request could not be read: check what you entered, and for the API that the body is "
                    + "well-formed JSON.";
            default -> status >= 500 ? "Something went wrong inside the portal." : "The request was not valid.";
        };
    }

    private static boolean wantsHtml(List<MediaType> accepted, String path) {
        if (path.startsWith("/api/")) {
            return false;
        }
        for (MediaType type : accepted) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }
}
