package ds01.web;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * What a state-changing request may carry. Forms (urlencoded, multipart) must hold the CSRF token, which
 * quarkus-rest-csrf checks; the JSON API and body-less calls ({@code DELETE /api/...}) pass it, because
 * {@code quarkus.rest-csrf.require-form-url-encoded} is off so that API-token clients can call them. That
 * leaves one way a page on another site could post without a token: a form with {@code enctype="text/plain"}.
 * Browsers cannot send JSON across sites without a CORS pre-flight (which the portal never grants), and the
 * session cookie is SameSite=Lax, so refusing every other content type closes it.
 */
public class UnsafeRequestGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter(preMatching = true)
    public void refuseOtherBodies(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null) {
            return;
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !known(charset)) {
            throw new NotSupportedException("The portal cannot read the character set " + Quoted.of(charset)
                    + "; send UTF-8.");
        }
        boolean api = request.getUriInfo().getPath().startsWith("/api/");
        if (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)
                // pages take forms only: a JSON body would reach a form's handler with every field missing
                || api && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        throw new NotSupportedException(api ? "The API accepts JSON (and forms), not " + type.getType() + "/"
                + type.getSubtype() + "." : "Pages accept forms, not " + type.getType() + "/" + type.getSubtype()
                + "; the JSON API is under /api/.");
    }

    private static boolean known(String charset) {
        try {
            return java.nio.charset.Charset.isSupported(charset.strip().replace("\"", ""));
        } catch (java.nio.charset.IllegalCharsetNameException e) {
            return false;
        }
    }
}
