package ds01.limits;

/** A key of the file the portal does not use (DS01 keys such as storage_workspace), by dotted path and line. */
public record IgnoredKey(String path, int line) {
    @Override
    public String toString() {
        return path + " (line " + line + ")";
    }
}
