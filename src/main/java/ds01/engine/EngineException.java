package ds01.engine;

/** The engine refused or failed an operation; the message says which and why, in words for the user. */
public class EngineException extends RuntimeException {

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
