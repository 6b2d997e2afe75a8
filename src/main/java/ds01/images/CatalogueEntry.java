package ds01.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One base image users may build on: a row of the catalogue file, AIME's {@code framework, version, [ARCH;ARCH],
 * image}, or a site image an admin approved. A row may name, as a fifth field, what the build installs on the base
 * ({@code install}, pip requirements and optionally {@code --index-url https://...}): that is how a framework
 * AIME has no image for (JAX, CPU-only PyTorch) is offered on a plain Python base.
 *
 * @param architectures the tags it runs on; {@link #CPU} and {@link #SITE} rows are offered on every machine
 * @param install       what the build installs first, before the form's steps; empty for a framework image
 * @param indexUrl      the package index {@code install} comes from, or null for pip's own
 * @param note          what the base contains in the admin's words (site images), or null to say it from the row
 */
public record CatalogueEntry(String framework, String version, List<String> architectures, String image,
        List<PipPackage> install, String indexUrl, String note) {

    /** Runs without a GPU, so on any machine. */
    public static final String CPU = "CPU";
    /** Approved by this server's admins on its admin page. */
    public static final String SITE = "SITE";

    private static final Pattern FRAMEWORK = Pattern.compile("[A-Za-z][A-Za-z0-9 _-]{0,40}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,40}");
    /** An engine reference: registry host (with port), path, tag or digest; no spaces, nothing a shell reads. */
    public static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,200}");
    private static final Pattern INDEX_URL = Pattern.compile("https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?");
    private static final Pattern NOTE = Pattern.compile("[^\\p{Cntrl}]{1,200}");
    private static final Pattern CUDA = Pattern.compile("cuda[-_]?(\\d+(?:\\.\\d+)*)");

    /** Every part ends up in a Dockerfile ({@code FROM}, a label, a {@code RUN}): each has its grammar, whoever wrote it. */
    public CatalogueEntry {
        if (framework == null || !FRAMEWORK.matcher(framework).matches() || version == null
                || !VERSION.matcher(version).matches() || image == null || !IMAGE.matcher(image).matches()) {
            throw new IllegalArgumentException("not a catalogue row: " + framework + ", " + version + ", " + image);
        }
        if (indexUrl != null && !INDEX_URL.matcher(indexUrl).matches()) {
            throw new IllegalArgumentException("\"" + PipPackage.printable(indexUrl) + "\" is not an https package index "
                    + "address (https://host/path, letters, digits and . _ ~ / - only)");
        }
        if (note != null && !NOTE.matcher(note).matches()) {
            throw new IllegalArgumentException("a base image's description is one line of up to 200 characters");
        }
        architectures = List.copyOf(architectures);
        install = List.copyOf(install);
    }

    /** A framework image row as AIME writes them: the base has everything. */
    public CatalogueEntry(String framework, String version, List<String> architectures, String image) {
        this(framework, version, architectures, image, List.of(), null, null);
    }

    /**
     * The fifth field of a catalogue row: requirements separated by spaces, and at most one
     * {@code --index-url https://...}.
     *
     * @throws IllegalArgumentException naming the part that is neither
     */
    public static CatalogueEntry withInstall(String framework, String version, List<String> architectures,
            String image, String installField) {
        List<PipPackage> install = new ArrayList<>();
        String indexUrl = null;
        String[] words = installField.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("--index-url") && i + 1 < words.length && indexUrl == null) {
                indexUrl = words[++i];
            } else {
                try {
                    install.add(PipPackage.parse(words[i]));
                } catch (InvalidPackageException e) {
                    throw new IllegalArgumentException("the fifth field takes pip requirements and one --index-url "
                            + "https://...: " + e.getMessage(), e);
                }
            }
        }
        return new CatalogueEntry(framework, version, architectures, image, install, indexUrl, null);
    }

    public boolean runsOn(String architecture) {
        return architectures.contains(architecture) || everywhere();
    }

    /** CPU-only and site rows are offered whatever the machine's GPUs are. */
    public boolean everywhere() {
        return architectures.contains(CPU) || architectures.contains(SITE);
    }

    public boolean site() {
        return architectures.contains(SITE);
    }

    /**
     * How the form and the API name this row: unique where the image is not (several rows may build on one
     * Python image), and stable across catalogue edits that leave the row as it is.
     */
    public String key() {
        return (framework + "-" + version + "-" + String.join("+", architectures)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.+_-]+", "-");
    }

    /** The heading the form lists the row under: PyTorch, PyTorch (CPU only), TensorFlow, JAX, site images. */
    public String family() {
        if (site()) {
            return "Site base images (approved by the admins)";
        }
        String name = switch (framework.toLowerCase(Locale.ROOT)) {
            case "pytorch" -> "PyTorch";
            case "tensorflow" -> "TensorFlow";
            case "jax" -> "JAX";
            default -> framework;
        };
        return architectures.equals(List.of(CPU)) ? name + " (CPU only)" : name;
    }

    /** What the base holds before the form's steps add to it, in words for step 1. */
    public String contains() {
        if (note != null) {
            return note;
        }
        if (!install.isEmpty()) {
            return "Python from " + image + "; the build installs " + install.stream().map(PipPackage::spec)
                    .collect(Collectors.joining(" ")) + (indexUrl == null ? "" : " from " + indexUrl);
        }
        Matcher cuda = CUDA.matcher(image);
        return family() + " " + version + (cuda.find() ? " with CUDA " + cuda.group(1) : "") + ", Python and pip";
    }
}
