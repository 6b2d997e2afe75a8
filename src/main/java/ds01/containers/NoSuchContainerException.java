package ds01.containers;

/** Thrown for an id with no live container record; the web and the API answer 404. */
public final class NoSuchContainerException extends jakarta.ws.rs.NotFoundException {

    public NoSuchContainerException(long id) {
        super("There is no container " + id + " (it was retired, or never existed).");
    }
}
