package ds01.projects;

import ds01.web.Printable;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.identity.HostAccount;
import ds01.identity.UserFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A user's projects: the directories under {@code ~/workspace}, whoever made them (DS01's {@code project-init},
 * the portal, the user's own {@code mkdir}), and new ones made with a layout.
 */
@ApplicationScoped
public class Projects {

    /** A project directory as the launcher lists it. */
    public record Project(String name, Path path, boolean hasDockerfile, Instant modified) {
    }

    private final Workspaces workspaces;
    private final AuditLog auditLog;
    private final UserFiles userFiles;

    public Projects(Workspaces workspaces, AuditLog auditLog, UserFiles userFiles) {
        this.userFiles = userFiles;
        this.workspaces = workspaces;
        this.auditLog = auditLog;
    }

    /**
     * The directories under {@code ~/workspace} whose names are project names, by name. Links and files there are
     * passed over: a project is a real directory of the user's.
     */
    public List<Project> of(HostAccount account) {
        Path root = Path.of(account.home(), "workspace");
        List<Project> projects = new ArrayList<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return projects;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (ProjectName.isValid(name) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    projects.add(new Project(name, dir, Files.isRegularFile(dir.resolve("Dockerfile"),
                            LinkOption.NOFOLLOW_LINKS), Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS)
                            .toInstant()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + root + ": " + e.getMessage(), e);
        }
        projects.sort(Comparator.comparing(Project::name));
        return projects;
    }

    /**
     * Makes {@code ~/workspace/<name>} with the layout's directories and files, as the user.
     *
     * @throws BadRequestException for a name outside the grammar
     * @throws WebApplicationException 409 when the directory exists already
     */
    public Project create(HostAccount account, String name, ProjectLayout layout, boolean git) {
        if (!ProjectName.isValid(name)) {
            throw new BadRequestException("\"" + Printable.of(String.valueOf(name)) + "\" is not "
                    + ProjectName.DESCRIPTION + ".");
        }
        Path root;
        try {
            root = workspaces.root(account);
        } catch (IllegalStateException e) {
            throw new WebApplicationException(e.getMessage(), 409);
        }
        Path dir = root.resolve(name);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new WebApplicationException("~/workspace/" + name + " exists already; it is on your launcher as a "
                    + "project. Choose another name, or use that one.", 409);
        }
        ProjectSkeleton skeleton = ProjectSkeleton.of(name, layout, git, LocalDate.now());
        List<String> directories = new ArrayList<>(List.of(name));
        skeleton.directories().forEach(d -> directories.add(name + "/" + d));
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        skeleton.files().forEach((path, content) -> files.put(name + "/" + path, content));
        userFiles.write(account, root, directories, files);
        auditLog.record(Actor.user(account.username()), "project.create", name, layout.id() + " layout"
                + (git ? ", git repository" : ""));
        return new Project(name, dir, false, java.time.Instant.now());
    }
}
