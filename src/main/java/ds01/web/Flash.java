package ds01.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A one-time message shown on the page a form redirects to (post, redirect, get). It travels in a short-lived
 * cookie and is cleared by {@link FlashClearing} once a page has shown it.
 */
@RequestScoped
@Named("flash")
public class Flash {

    static final String COOKIE = "ds01-flash";
    private static final Set<String> KINDS = Set.of("success", "info", "warning", "danger");

    private final String kind;
    private final String message;

    public Flash(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        String decoded = cookie == null ? "" : URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
        int bar = decoded.indexOf('|');
        if (bar > 0 && KINDS.contains(decoded.substring(0, bar))) {
            this.kind = decoded.substring(0, bar);
            this.message = decoded.substring(bar + 1);
        } else {
            this.kind = "info";
            this.message = null;
        }
    }

    public String getKind() {
        return kind;
    }

    public String getMessage() {
        return message;
    }

    /** A 303 to {@code location} that shows {@code message} there; kind is success, info, warning or danger. */
    public static Response redirect(URI location, String kind, String message) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown flash kind " + kind);
        }
        String value = URLEncoder.encode(kind + "|" + message, StandardCharsets.UTF_8);
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(60).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(location).cookie(cookie).build();
    }
}
