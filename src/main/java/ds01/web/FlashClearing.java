package ds01.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Expires the flash cookie once an HTML page has been rendered with it, so a message shows only once. */
public class FlashClearing {

    @ServerResponseFilter
    public void clearShownFlash(ContainerRequestContext request, ContainerResponseContext response) {
        boolean hadFlash = request.getCookies().containsKey(Flash.COOKIE);
        boolean setsFlash = response.getHeaders().getOrDefault(HttpHeaders.SET_COOKIE, java.util.List.of()).stream()
                .anyMatch(header -> header.toString().startsWith(Flash.COOKIE + "="));
        MediaType type = response.getMediaType();
        boolean html = type != null && type.isCompatible(MediaType.TEXT_HTML_TYPE);
        if (hadFlash && !setsFlash && html) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE,
                    new NewCookie.Builder(Flash.COOKIE).value("").path("/").maxAge(0).build());
        }
    }
}
