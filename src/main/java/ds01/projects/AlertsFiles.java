package ds01.projects;

import ds01.events.WorkspaceAlerts;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import ds01.identity.UserFiles;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;

/** The notifications' alerts file in a project's workspace, written as its owner. */
@ApplicationScoped
public class AlertsFiles implements WorkspaceAlerts {

    private final HostAccounts accounts;
    private final UserFiles userFiles;

    public AlertsFiles(HostAccounts accounts, UserFiles userFiles) {
        this.userFiles = userFiles;
        this.accounts = accounts;
    }

    @Override
    public boolean reaches(String username) {
        return accounts.find(username).isPresent();
    }

    @Override
    public void append(String username, String project, String line) {
        HostAccount owner = accounts.find(username)
                .orElseThrow(() -> new IllegalStateException(username + " has no host account any more"));
        userFiles.append(owner, Path.of(owner.home(), "workspace", project, ".ds01-alerts"), line);
    }
}
