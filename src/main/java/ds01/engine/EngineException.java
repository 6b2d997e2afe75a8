package ds01.engine;

import jakarta.ws.rs.WebApplicationException;

/**
 * The engine refused or failed an operation; the message says which and why, in words for the user. Reaching
 * the web or the API unhandled it is a 503 with that message: the portal is fine, a part it needs is not.
 */
public class EngineException extends WebApplicationException {

    public EngineException(String message, Throwable cause) {
        super(message, cause, 503);
    }
}
