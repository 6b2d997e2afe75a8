package ds01.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A refusal always says why. Some come from the framework with no body at all: above all the CSRF check's 400
 * when a form's token is missing or stale (a page left open across a restart, a second tab). Those get the
 * portal's error page or JSON error, with what to do.
 */
public class RefusalWords {

    static final String STALE_FORM = "The form's security token is missing or out of date (the page may have been "
            + "open for a long time, or the portal restarted): reload the page and send it again.";

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || response.hasEntity()) {
            return;
        }
        boolean form = request.getMediaType() != null && !request.getMethod().equals("GET")
                && (request.getMediaType().isCompatible(jakarta.ws.rs.core.MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || request.getMediaType().isCompatible(jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA_TYPE));
        Response explained = ErrorPages.render(status, status == 400 && form ? STALE_FORM : null, null,
                request.getAcceptableMediaTypes(), request.getUriInfo().getPath());
        response.setEntity(explained.getEntity(), null, explained.getMediaType());
    }
}
