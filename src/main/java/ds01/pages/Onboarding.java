package ds01.pages;

import ds01.identity.AuthorizedKeys;
import ds01.identity.HostAccount;
import ds01.identity.PortalUsers;
import ds01.images.ImageRecords;
import ds01.projects.Projects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import java.util.List;

/**
 * What DS01's {@code user-setup} checked for a new user, as a list to walk through: a workspace with a project,
 * an SSH key for VS Code, an image to deploy.
 */
@ApplicationScoped
public class Onboarding {

    /** One thing to have, whether the user has it, what was found, and where to get it. */
    public record Step(String id, String title, boolean done, String found, String how, String link) {
    }

    public record Checklist(List<Step> steps) {
        public boolean complete() {
            return steps.stream().allMatch(Step::done);
        }

        public long done() {
            return steps.stream().filter(Step::done).count();
        }
    }

    private final Projects projects;
    private final AuthorizedKeys keys;
    private final PortalUsers users;
    private final ImageRecords imageRecords;

    public Onboarding(Projects projects, AuthorizedKeys keys, PortalUsers users, ImageRecords imageRecords) {
        this.projects = projects;
        this.keys = keys;
        this.users = users;
        this.imageRecords = imageRecords;
    }

    public Checklist of(HostAccount account) {
        List<Projects.Project> mine = projects.of(account);
        Step workspace = new Step("workspace", "A project in ~/workspace", !mine.isEmpty(), mine.isEmpty()
                ? "~/workspace has no project yet" : mine.size() + " project(s): " + String.join(", ",
                        mine.stream().map(Projects.Project::name).limit(5).toList()),
                "A project is a directory that stays whatever happens to containers.", "/projects/new");
        Step ssh;
        try {
            int count = keys.of(account).size();
            ssh = new Step("ssh-key", "An SSH key for VS Code", count > 0, count == 0 ? "no key registered"
                    : count + " key(s) registered", "Register your computer's public key to open projects in VS Code.",
                    "/account/ssh");
        } catch (WebApplicationException unreadable) {
            ssh = new Step("ssh-key", "An SSH key for VS Code", false, unreadable.getMessage(),
                    "Register your computer's public key to open projects in VS Code.", "/account/ssh");
        }
        long images = users.idOf(account.username()).stream().map(imageRecords::readyOf).sum();
        Step image = new Step("image", "An image of your own", images > 0, images == 0 ? "no image built yet"
                : images + " image(s) ready", "Choose a framework and packages in four steps; the portal builds it.",
                "/images/new" + (mine.isEmpty() ? "" : "?project=" + mine.get(0).name()));
        return new Checklist(List.of(workspace, ssh, image));
    }
}
