package ds01.images;

import java.util.List;

/** One row of the base image catalogue, AIME's {@code framework, version, [ARCH;ARCH], image}. */
public record CatalogueEntry(String framework, String version, List<String> architectures, String image) {

    private static final java.util.regex.Pattern FRAMEWORK = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9 _-]{0,40}");
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[A-Za-z0-9._+-]{1,40}");
    private static final java.util.regex.Pattern IMAGE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._/:-]{0,200}");

    /** Every part ends up in a Dockerfile ({@code FROM}, a label): each has its grammar, whoever wrote the row. */
    public CatalogueEntry {
        if (framework == null || !FRAMEWORK.matcher(framework).matches() || version == null
                || !VERSION.matcher(version).matches() || image == null || !IMAGE.matcher(image).matches()) {
            throw new IllegalArgumentException("not a catalogue row: " + framework + ", " + version + ", " + image);
        }
        architectures = List.copyOf(architectures);
    }

    public boolean runsOn(String architecture) {
        return architectures.contains(architecture);
    }
}
