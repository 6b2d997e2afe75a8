package ds01.images;

import ds01.projects.ProjectName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the four steps of the image form chose: a base from the catalogue, then one pip layer per step (Jupyter,
 * data science, use case) and any apt packages. A package named in more than one step is installed once, in the
 * first step that names it, with the version the later step asks for if only the later one pins it (names
 * compared as pip does).
 */
public record ImageRecipe(String name, String project, CatalogueEntry base, List<Layer> layers, List<String> aptPackages) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** One {@code RUN pip install} of the Dockerfile: which step, in words, and its packages. */
    public record Layer(String title, List<PipPackage> packages) {

        private static final Pattern TITLE = Pattern.compile("[A-Za-z0-9 ():,.+-]{1,100}");

        public Layer {
            // the title becomes a Dockerfile comment: one line of plain words only
            if (title == null || !TITLE.matcher(title).matches()) {
                throw new IllegalArgumentException("a layer title must be one line of plain words: " + title);
            }
            packages = List.copyOf(packages);
        }
    }

    public ImageRecipe {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new InvalidPackageException("\"" + PipPackage.printable(String.valueOf(name)) + "\" is not an image "
                    + "name: a lower-case letter or digit, then up to 63 lower-case letters, digits, _ . or -.");
        }
        if (!ProjectName.isValid(project)) {
            throw new InvalidPackageException("\"" + PipPackage.printable(String.valueOf(project)) + "\" is not "
                    + ProjectName.DESCRIPTION + ".");
        }
        layers = List.copyOf(layers);
        aptPackages = aptPackages.stream().map(AptPackage::parse).toList();
    }

    /** The image's reference on the engine: the user's own namespace, {@code ds01-<uid>/<name>:latest}. */
    public String reference(int uid) {
        return "ds01-" + uid + "/" + name + ":latest";
    }

    /** Merges the steps' layers as the class describes; empty layers are dropped. */
    public static ImageRecipe of(String name, String project, CatalogueEntry base, List<Layer> steps, List<String> apt) {
        return new ImageRecipe(name, project, base, mergeLayers(steps), apt.stream().distinct().toList());
    }

    /** Each package once, in the first layer that names it, with a later layer's pin when only that one pins it. */
    static List<Layer> mergeLayers(List<Layer> steps) {
        Map<String, int[]> where = new LinkedHashMap<>();
        List<List<PipPackage>> merged = new ArrayList<>();
        for (Layer step : steps) {
            List<PipPackage> kept = new ArrayList<>();
            for (PipPackage p : step.packages()) {
                int[] earlier = where.get(p.normalizedName());
                if (earlier == null) {
                    where.put(p.normalizedName(), new int[] {merged.size(), kept.size()});
                    kept.add(p);
                } else {
                    List<PipPackage> layer = earlier[0] == merged.size() ? kept : merged.get(earlier[0]);
                    if (!hasVersion(layer.get(earlier[1])) && hasVersion(p)) {
                        layer.set(earlier[1], p);
                    }
                }
            }
            merged.add(kept);
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!merged.get(i).isEmpty()) {
                layers.add(new Layer(steps.get(i).title(), merged.get(i)));
            }
        }
        return layers;
    }

    private static boolean hasVersion(PipPackage p) {
        return !p.spec().equals(p.name()) && p.spec().matches(".*[<>=!~].*");
    }

    /** Every pip package of the image, for lists and summaries. */
    public List<PipPackage> packages() {
        return layers.stream().flatMap(l -> l.packages().stream()).toList();
    }
}
