package ds01.database;

/** The built-in PostgreSQL could not be prepared or started; the message says what to do. */
public class EmbeddedDatabaseException extends RuntimeException {
    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
