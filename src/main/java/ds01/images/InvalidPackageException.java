package ds01.images;

/** A package list, name or requirements line the portal will not write into a Dockerfile; the message says why. */
public class InvalidPackageException extends IllegalArgumentException {

    public InvalidPackageException(String message) {
        super(message);
    }
}
