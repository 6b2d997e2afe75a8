package ds01.containers;

import ds01.identity.HostAccount;
import ds01.images.CatalogueEntry;
import ds01.images.CatalogueService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which images a user may deploy: their own ({@code ds01-<uid>/<name>[:tag]}) and the site's base images (the
 * image catalogue's, and any more the config names).
 * Anything else, including references that are not image references at all, is refused with the reason.
 */
@ApplicationScoped
public class ImagePolicy {

    /** Docker's reference grammar, narrowed: lower-case path components, an optional tag, no digest. */
    private static final Pattern REFERENCE = Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?");

    private final ContainersConfig config;
    private final CatalogueService catalogue;

    public ImagePolicy(ContainersConfig config, CatalogueService catalogue) {
        this.config = config;
        this.catalogue = catalogue;
    }

    /** Empty when {@code account} may deploy {@code reference}; otherwise why not, in words for them. */
    public Optional<String> refusal(HostAccount account, String reference) {
        if (reference == null || reference.length() > 255 || !REFERENCE.matcher(reference).matches()) {
            return Optional.of("\"" + reference + "\" is not an image reference (e.g. ds01-" + account.uid()
                    + "/thesis:latest).");
        }
        String own = "ds01-" + account.uid() + "/";
        if (reference.startsWith(own) || baseImages().contains(reference) || baseImages().contains(withTag(reference))) {
            return Optional.empty();
        }
        return Optional.of("You may deploy your own images (" + own + "...) and the base images " + baseImages()
                + "; " + reference + " is neither. Build an image from it first.");
    }

    /** The image catalogue's rows for this server, then the ones {@code DS01_BASE_IMAGES} adds. */
    public List<String> baseImages() {
        List<String> images = new java.util.ArrayList<>(catalogue.offered().stream().map(CatalogueEntry::image).toList());
        config.baseImages().orElse(List.of()).stream().filter(i -> !images.contains(i)).forEach(images::add);
        return images;
    }

    private static String withTag(String reference) {
        return reference.substring(reference.lastIndexOf('/') + 1).contains(":") ? reference : reference + ":latest";
    }
}
