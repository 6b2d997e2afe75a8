package ds01.images;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The four steps' choices, from the API or the form, made into a recipe; the edge where they are all checked. */
@ApplicationScoped
public class Recipes {

    private final CatalogueService catalogue;

    public Recipes(CatalogueService catalogue) {
        this.catalogue = catalogue;
    }

    /** The four steps' choices as a recipe; every package and name is checked here, at the edge. */
    public ImageRecipe from(ImageApi.ImageRequest r) {
        CatalogueEntry base = catalogue.find(r.base() == null ? "" : r.base()).orElseThrow(() -> new BadRequestException(
                "\"" + r.base() + "\" is not one of this server's base images; see GET /api/images/catalogue."));
        UseCase useCase;
        try {
            useCase = r.useCase() == null ? UseCase.CUSTOM : UseCase.valueOf(r.useCase().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("\"" + PipPackage.printable(r.useCase()) + "\" is not a use case: ml, cv, nlp, "
                    + "rl, audio, ts, llm or custom.");
        }
        try {
            List<PipPackage> fourth = new ArrayList<>();
            if (r.requirements() != null && !r.requirements().isBlank()) {
                fourth.addAll(Requirements.parse(r.requirements()));
            } else {
                useCase.packages().forEach(p -> fourth.add(PipPackage.parse(p)));
            }
            Optional.ofNullable(r.extra()).orElse(List.of()).forEach(p -> fourth.add(PipPackage.parse(p)));
            return ImageRecipe.of(r.name(), r.project(), base, List.of(
                    new ImageRecipe.Layer("Step 2: Jupyter", packages(r.jupyter(), UseCase.JUPYTER)),
                    new ImageRecipe.Layer("Step 3: data science", packages(r.dataScience(), UseCase.DATA_SCIENCE)),
                    new ImageRecipe.Layer("Step 4: " + useCase.title(), fourth)),
                    Optional.ofNullable(r.apt()).orElse(List.of()));
        } catch (InvalidPackageException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static List<PipPackage> packages(List<String> chosen, List<String> defaults) {
        return (chosen == null ? defaults : chosen).stream().map(PipPackage::parse).toList();
    }

}
