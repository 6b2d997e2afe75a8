package ds01.projects;

import java.util.regex.Pattern;

/**
 * The grammar of a project name (invariant 7): it becomes a directory under {@code ~/workspace} and the first
 * half of an AIME container name, so nothing else may pass.
 */
public final class ProjectName {

    public static final Pattern GRAMMAR = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    public static final String DESCRIPTION = "a project name (a lower-case letter or digit, then up to 62 lower-case "
            + "letters, digits, '_', '.' or '-', and never '..')";

    private ProjectName() {
    }

    public static boolean isValid(String name) {
        return name != null && GRAMMAR.matcher(name).matches() && !name.contains("..") && !name.contains("._.");
    }
}
