package ds01.projects;

import java.util.List;

/** How a new project's directory starts: DS01's data-science layout, or blank. */
public enum ProjectLayout {

    /** DS01 {@code project-init}'s directories: data by stage, models, notebooks, scripts, configs, outputs, tests. */
    DATA_SCIENCE("data science", List.of("data/raw", "data/processed", "data/external", "models/checkpoints",
            "notebooks", "scripts", "configs", "outputs/logs", "outputs/figures", "tests")),
    BLANK("blank", List.of());

    private final String title;
    private final List<String> directories;

    ProjectLayout(String title, List<String> directories) {
        this.title = title;
        this.directories = directories;
    }

    public String title() {
        return title;
    }

    /** The directories, each with its parents implied, relative to the project. */
    public List<String> directories() {
        return directories;
    }

    /** {@code data-science} or {@code blank}, as forms and the API send it. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the layouts there are */
    public static ProjectLayout of(String id) {
        for (ProjectLayout layout : values()) {
            if (layout.id().equals(id)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("\"" + id + "\" is not a project layout: data-science or blank.");
    }
}
