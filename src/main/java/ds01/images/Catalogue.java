package ds01.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base images users build on, in AIME ML Containers' {@code ml_images.repo} format
 * ({@code framework, version, [ARCH;ARCH], image}), so AIME's own file can be used as it is. The portal adds an
 * optional fifth field, what the build installs on the base (see {@link CatalogueEntry}), and the {@code CPU} tag for
 * rows any machine can run. Lines starting with
 * {@code #} and blank lines are the portal's addition for notes; anything else that does not parse stops the
 * reading with the file, line and what was expected.
 */
public record Catalogue(Path file, List<CatalogueEntry> entries) {

    private static final Pattern ROW = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9 _-]*?)\\s*,\\s*([A-Za-z0-9._+-]+)\\s*,\\s*\\[([A-Z0-9_;]+)]\\s*,\\s*([a-z0-9][a-z0-9._/:@-]*)"
            + "\\s*(?:,\\s*(\\S.*?))?\\s*");

    public static Catalogue read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the image catalogue " + file + ": " + e.getMessage(), e);
        }
        List<CatalogueEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": \"" + PipPackage.printable(line)
                        + "\" is not \"framework, version, [ARCH;ARCH], image\" (e.g. Pytorch, 2.8.0-aime, [CUDA_ADA], "
                        + "aimehub/pytorch-2.8.0-aime-cuda12.6.3).");
            }
            List<String> architectures = Arrays.stream(m.group(3).split(";")).filter(a -> !a.isEmpty()).toList();
            try {
                entries.add(m.group(5) == null ? new CatalogueEntry(m.group(1), m.group(2), architectures, m.group(4))
                        : CatalogueEntry.withInstall(m.group(1), m.group(2), architectures, m.group(4), m.group(5)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Catalogue(file, List.copyOf(entries));
    }

    /** A heading of step 1 (PyTorch, JAX, site images...) and its rows, in the order given. */
    public record Family(String name, List<CatalogueEntry> entries) {
    }

    /** {@code rows} under their {@link CatalogueEntry#family() headings}, each heading where its first row was. */
    public static List<Family> families(List<CatalogueEntry> rows) {
        java.util.Map<String, List<CatalogueEntry>> grouped = new java.util.LinkedHashMap<>();
        rows.forEach(r -> grouped.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        return grouped.entrySet().stream().map(e -> new Family(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    /** The rows for one architecture and the CPU-only rows, in the file's order (AIME lists the newest first). */
    public List<CatalogueEntry> forArchitecture(String architecture) {
        return entries.stream().filter(e -> e.runsOn(architecture)).toList();
    }

    /**
     * The architecture tag for a driver version, as DS01 decides it: driver 535 or newer runs the CUDA 12 images
     * ({@code CUDA_ADA}), older ones the CUDA 11 images ({@code CUDA_AMPERE}).
     *
     * @throws IllegalArgumentException for a version that does not start with a number
     */
    public static String architectureFor(String driverVersion) {
        Matcher major = Pattern.compile("\\s*(\\d+)").matcher(driverVersion == null ? "" : driverVersion);
        if (!major.lookingAt()) {
            throw new IllegalArgumentException("\"" + driverVersion + "\" is not an NVIDIA driver version; set "
                    + "ds01.images.architecture (DS01_IMAGE_ARCHITECTURE) to choose the catalogue's rows.");
        }
        return Integer.parseInt(major.group(1)) >= 535 ? "CUDA_ADA" : "CUDA_AMPERE";
    }
}
