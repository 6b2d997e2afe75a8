package ds01.events;

/**
 * The {@code .ds01-alerts} file in a user's project workspace, where DS01 has always told users what happened to
 * their containers. Writing it needs the user's host account and workspace, which sit above the audit log and the
 * notifications: the projects package implements it.
 */
public interface WorkspaceAlerts {

    /** Whether the user still has a host account: one whose account is gone cannot be told (workspace and mail went with it). */
    boolean reaches(String username);

    /** Appends {@code line} to {@code ~/workspace/<project>/.ds01-alerts}, written as the user. */
    void append(String username, String project, String line);
}
