package ds01.limits;

import io.quarkus.qute.TemplateData;

/** A key of the file the portal does not use (DS01 keys such as storage_workspace), by dotted path and line. */
@TemplateData
public record IgnoredKey(String path, int line) {
    @Override
    public String toString() {
        return path + " (line " + line + ")";
    }
}
