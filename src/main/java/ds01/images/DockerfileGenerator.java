package ds01.images;

import ds01.identity.HostAccount;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the Dockerfile for an image recipe: readable, one {@code RUN pip install} layer per form step, DS01's
 * labels, the user baked in (uid, gid, name, as DS01's {@code has_user_setup} images are, so containers need no
 * set-up at start), {@code /workspace} as the working directory and the caches under it. Everything written comes
 * from validated types (names, {@link PipPackage}s, apt names), never from raw input (invariant 7).
 */
public final class DockerfileGenerator {

    /** The section the portal rewrites when a user adds or removes packages later; the rest is theirs. */
    public static final String BEGIN_PACKAGES = "# >>> ds01 packages (the portal rewrites this section on update)";
    public static final String END_PACKAGES = "# <<< ds01 packages";
    private static final String PIP_INSTALL = "RUN pip install --no-cache-dir ";

    private DockerfileGenerator() {
    }

    public static String generate(ImageRecipe recipe, HostAccount account, OffsetDateTime created) {
        String when = created.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        StringBuilder out = new StringBuilder();
        out.append("# Image ").append(recipe.reference(account.uid())).append(" for ").append(account.username())
                .append(", project ").append(recipe.project()).append(".\n")
                .append("# Made by DS01 Portal's image form on ").append(when).append(". Rebuild it from the portal; the\n")
                .append("# packages section is rewritten there, the rest of this file is yours to keep as it is.\n")
                .append("FROM ").append(recipe.base().image()).append("\n\n")
                .append("LABEL ds01.managed=\"true\" \\\n")
                .append("      ds01.project=\"").append(recipe.project()).append("\" \\\n")
                .append("      ds01.framework=\"").append(recipe.base().framework()).append(' ')
                .append(recipe.base().version()).append("\" \\\n")
                .append("      ds01.created=\"").append(when).append("\" \\\n")
                .append("      ds01.owner=\"").append(account.username()).append("\" \\\n")
                .append("      ds01.has_user_setup=\"true\" \\\n")
                .append("      ds01.user.name=\"").append(account.username()).append("\" \\\n")
                .append("      ds01.user.uid=\"").append(account.uid()).append("\" \\\n")
                .append("      ds01.user.gid=\"").append(account.gid()).append("\"\n\n")
                .append("USER root\n");
        if (!recipe.aptPackages().isEmpty()) {
            out.append("RUN apt-get update \\\n && apt-get install -y --no-install-recommends ")
                    .append(String.join(" ", recipe.aptPackages()))
                    .append(" \\\n && rm -rf /var/lib/apt/lists/*\n");
        }
        if (!recipe.base().install().isEmpty()) {
            // step 1's framework on a plain Python base: not in the packages section, an update must not drop it
            out.append("\n# Step 1: framework ").append(recipe.base().family()).append(' ').append(recipe.base().version())
                    .append('\n').append(PIP_INSTALL)
                    .append(recipe.base().indexUrl() == null ? "" : "--index-url " + recipe.base().indexUrl() + " ")
                    .append(quoted(recipe.base().install())).append('\n');
        }
        out.append('\n').append(BEGIN_PACKAGES).append('\n').append(packages(recipe.layers())).append(END_PACKAGES)
                .append("\n\n")
                .append("# The user, baked in: containers run as ").append(account.uid()).append(':').append(account.gid())
                .append(" and find their name at once\n")
                .append("RUN (getent group ").append(account.gid()).append(" >/dev/null || groupadd -g ").append(account.gid())
                .append(' ').append(account.username()).append(") \\\n && (getent passwd ").append(account.uid())
                .append(" >/dev/null || useradd -M -d /workspace -s /bin/bash -u ").append(account.uid()).append(" -g ")
                .append(account.gid()).append(' ').append(account.username()).append(")\n\n")
                .append("# Caches live in the workspace, so they survive a retire and do not fill the image\n")
                .append("ENV HOME=/workspace \\\n")
                .append("    XDG_CACHE_HOME=/workspace/.cache \\\n")
                .append("    PIP_CACHE_DIR=/workspace/.cache/pip \\\n")
                .append("    HF_HOME=/workspace/.cache/huggingface \\\n")
                .append("    TORCH_HOME=/workspace/.cache/torch \\\n")
                .append("    MPLCONFIGDIR=/workspace/.cache/matplotlib\n")
                .append("WORKDIR /workspace\n")
                .append("USER ").append(account.uid()).append(':').append(account.gid()).append('\n');
        return out.toString();
    }

    /**
     * The layers of a Dockerfile's packages section as this class wrote them, every package checked again.
     *
     * @throws InvalidPackageException when the section is missing or holds anything but its own lines
     */
    public static List<ImageRecipe.Layer> readPackages(String dockerfile) {
        int begin = dockerfile.indexOf(BEGIN_PACKAGES);
        int end = dockerfile.indexOf(END_PACKAGES);
        if (begin < 0 || end < begin) {
            throw new InvalidPackageException("This Dockerfile has no packages section the portal can change.");
        }
        List<ImageRecipe.Layer> layers = new java.util.ArrayList<>();
        String title = null;
        for (String line : dockerfile.substring(begin + BEGIN_PACKAGES.length(), end).strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# ")) {
                title = line.substring(2);
            } else if (line.startsWith(PIP_INSTALL) && title != null) {
                List<PipPackage> packages = java.util.Arrays.stream(line.substring(PIP_INSTALL.length()).split(" "))
                        .map(quoted -> PipPackage.parse(quoted.replaceAll("^\"|\"$", ""))).toList();
                layers.add(new ImageRecipe.Layer(title, packages));
                title = null;
            } else {
                throw new InvalidPackageException("The packages section has a line the portal did not write: \""
                        + PipPackage.printable(line) + "\".");
            }
        }
        return layers;
    }

    /** {@code dockerfile} with its packages section replaced by {@code layers}; everything else kept as it is. */
    public static String withPackages(String dockerfile, List<ImageRecipe.Layer> layers) {
        int begin = dockerfile.indexOf(BEGIN_PACKAGES);
        int end = dockerfile.indexOf(END_PACKAGES);
        return dockerfile.substring(0, begin + BEGIN_PACKAGES.length()) + "\n" + packages(layers)
                + dockerfile.substring(end);
    }

    /** The packages section alone: one commented {@code RUN pip install} per layer. */
    public static String packages(List<ImageRecipe.Layer> layers) {
        StringBuilder out = new StringBuilder();
        for (ImageRecipe.Layer layer : layers) {
            out.append("# ").append(layer.title()).append('\n')
                    .append(PIP_INSTALL)
                    .append(quoted(layer.packages()))
                    .append('\n');
        }
        return out.toString();
    }

    private static String quoted(List<PipPackage> packages) {
        return packages.stream().map(p -> "\"" + p.spec() + "\"").collect(Collectors.joining(" "));
    }
}
