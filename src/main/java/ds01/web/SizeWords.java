package ds01.web;

import io.quarkus.qute.TemplateExtension;

/** Sizes as a person reads them, as Qute extensions. */
@TemplateExtension
public final class SizeWords {

    private SizeWords() {
    }

    /** {@code {sizeBytes.mebibytes}}: a size in whole MiB. */
    static long mebibytes(Long bytes) {
        return bytes == null ? 0 : bytes >> 20;
    }
}
