package ds01.images;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Adding and removing packages of an existing image's layers, names compared as pip does. */
final class Updates {

    static final String ADDED = "Added later";

    private Updates() {
    }

    /**
     * @throws InvalidPackageException for a package that is not a requirement, or a removal of one the image lacks
     */
    static List<ImageRecipe.Layer> apply(List<ImageRecipe.Layer> layers, List<String> add, List<String> remove) {
        Set<String> gone = new HashSet<>();
        Set<String> present = new HashSet<>();
        layers.forEach(l -> l.packages().forEach(p -> present.add(p.normalizedName())));
        for (String name : remove) {
            String normalized = PipPackage.normalize(PipPackage.parse(name).name());
            if (!present.contains(normalized)) {
                throw new InvalidPackageException("The image has no package " + PipPackage.printable(name) + " to remove.");
            }
            gone.add(normalized);
        }
        List<PipPackage> added = add.stream().map(PipPackage::parse).toList();
        List<ImageRecipe.Layer> steps = new ArrayList<>();
        for (ImageRecipe.Layer layer : layers) {
            steps.add(new ImageRecipe.Layer(layer.title(), layer.packages().stream()
                    .filter(p -> !gone.contains(p.normalizedName())).toList()));
        }
        steps.add(new ImageRecipe.Layer(ADDED, added));
        // the recipe's merge keeps each package once and lets a later pin replace an unpinned one
        return ImageRecipe.mergeLayers(steps);
    }
}
