package ds01.identity;

/**
 * The PAM service the portal signs people in with cannot be used (its file is missing or its name is not one):
 * nobody could sign in, so the portal does not start. The message says what to install.
 */
public class PamServiceException extends IllegalStateException {
    public PamServiceException(String message) {
        super(message);
    }
}
