package ds01.projects;

import ds01.identity.HostAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Workspaces are made with the user's ownership and files the portal writes there are the user's, on the real
 * file system (the tests run as root, as the portal does; uid 2001 is the test account ds01alice).
 */
class WorkspacesTest {

    @TempDir
    Path home;

    private HostAccount account() {
        return new HostAccount("ds01alice", 2001, 2001, home.toString(), List.of());
    }

    @Test
    void theWorkspaceAndAWrittenFileAreTheUsers() throws Exception {
        Workspaces workspaces = new Workspaces();
        Path dockerfile = workspaces.write(account(), "thesis", "Dockerfile", "FROM scratch\n");
        assertThat(dockerfile).isEqualTo(home.resolve("workspace/thesis/Dockerfile")).hasContent("FROM scratch");
        for (Path p : List.of(home.resolve("workspace"), home.resolve("workspace/thesis"), dockerfile)) {
            assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(2001);
            assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(2001);
        }
        workspaces.write(account(), "thesis", "Dockerfile", "FROM busybox\n");
        assertThat(dockerfile).hasContent("FROM busybox");
    }

    @Test
    void symbolicLinksAndForeignDirectoriesAreNotFollowed() throws Exception {
        Workspaces workspaces = new Workspaces();
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Files.createDirectory(home.resolve("workspace"));
        Files.setAttribute(home.resolve("workspace"), "unix:uid", 2001);
        Files.createSymbolicLink(home.resolve("workspace/linked"), elsewhere);
        assertThatThrownBy(() -> workspaces.ensure(account(), "linked")).hasMessageContaining("symbolic link");

        Files.createDirectory(home.resolve("workspace/rootowned"));
        assertThatThrownBy(() -> workspaces.ensure(account(), "rootowned")).hasMessageContaining("belongs to uid 0");

        workspaces.ensure(account(), "planted");
        Path target = Files.writeString(home.resolve("target.txt"), "keep");
        Files.createSymbolicLink(home.resolve("workspace/planted/Dockerfile"), target);
        workspaces.write(account(), "planted", "Dockerfile", "FROM scratch\n");
        assertThat(target).as("the link was replaced, not written through").hasContent("keep");
        assertThatThrownBy(() -> workspaces.write(account(), "planted", "../escape", "x"))
                .hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> workspaces.ensure(account(), "../etc")).hasMessageContaining("is not a project name");
    }
}
