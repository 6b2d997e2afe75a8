package ds01.projects;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new project holds before its owner adds anything: the layout's directories, a README, a
 * {@code requirements.txt} the image form can take, an ML-aware {@code .gitignore}, and optionally an empty git
 * repository (its few files written directly, as {@code git init} would, so the server needs no git).
 *
 * @param directories relative paths, parents first
 * @param files       relative path to content, in writing order
 */
public record ProjectSkeleton(String name, List<String> directories, Map<String, String> files) {

    static final String GITIGNORE = """
            # Data and models stay out of git: they are large and often not yours to publish
            data/
            models/
            *.pt
            *.pth
            *.ckpt
            *.safetensors
            *.h5
            *.onnx
            *.npy
            *.npz
            *.parquet
            # Run outputs and trackers
            outputs/
            wandb/
            mlruns/
            lightning_logs/
            runs/
            # Python and Jupyter
            __pycache__/
            *.py[cod]
            .ipynb_checkpoints/
            .venv/
            venv/
            .env
            # Caches the portal's images keep in the workspace (pip, Hugging Face, torch)
            .cache/
            .ds01-alerts
            """;

    public static ProjectSkeleton of(String name, ProjectLayout layout, boolean git, LocalDate today) {
        if (!ProjectName.isValid(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not " + ProjectName.DESCRIPTION + ".");
        }
        List<String> directories = new ArrayList<>();
        for (String dir : layout.directories()) {
            String parent = dir.contains("/") ? dir.substring(0, dir.indexOf('/')) : null;
            if (parent != null && !directories.contains(parent)) {
                directories.add(parent);
            }
            directories.add(dir);
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("README.md", readme(name, layout, today));
        files.put("requirements.txt", "# pip packages this project needs, one per line (e.g. transformers>=4.44).\n"
                + "# The portal's image form takes this file in step 4.\n");
        files.put(".gitignore", GITIGNORE);
        // keep the empty directories in git
        layout.directories().forEach(d -> files.put(d + "/.gitkeep", ""));
        if (git) {
            directories.addAll(List.of(".git", ".git/objects", ".git/objects/info", ".git/objects/pack", ".git/refs",
                    ".git/refs/heads", ".git/refs/tags", ".git/info", ".git/hooks"));
            files.put(".git/HEAD", "ref: refs/heads/main\n");
            files.put(".git/config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"
                    + "\tlogallrefupdates = true\n");
            files.put(".git/description", "Unnamed repository; edit this file 'description' to name the repository.\n");
            files.put(".git/info/exclude", "# git ls-files --others --exclude-from=.git/info/exclude\n");
        }
        return new ProjectSkeleton(name, List.copyOf(directories), java.util.Collections.unmodifiableMap(files));
    }

    private static String readme(String name, ProjectLayout layout, LocalDate today) {
        StringBuilder out = new StringBuilder("# ").append(name).append("\n\nStarted on ").append(today)
                .append(" with DS01 Portal. This directory is `~/workspace/").append(name)
                .append("` on the server and `/workspace` inside the project's containers; retiring a container never ")
                .append("deletes it.\n");
        if (layout == ProjectLayout.DATA_SCIENCE) {
            out.append("""

                    | Directory | For |
                    |---|---|
                    | `data/raw` | data as it came, never edited |
                    | `data/processed` | data your code made from it |
                    | `data/external` | data from third parties |
                    | `models/checkpoints` | training checkpoints |
                    | `notebooks` | Jupyter notebooks |
                    | `scripts` | training and evaluation scripts |
                    | `configs` | experiment configurations |
                    | `outputs/logs`, `outputs/figures` | what runs write |
                    | `tests` | tests of your code |
                    """);
        }
        return out.toString();
    }
}
