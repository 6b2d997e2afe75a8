package ds01.launcher;

import ds01.containers.ContainerListing;
import ds01.identity.HostAccount;
import ds01.identity.AuthorizedKeys;
import ds01.identity.SignedIn;
import ds01.identity.SshPublicKey;
import ds01.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * VS Code and SSH on the user's page: their registered public keys (added to {@code ~/.ssh/authorized_keys}; the
 * portal never makes a private key), the SSH config to paste or download, and links that open a project with
 * Remote-SSH or attach Dev Containers to its running container.
 */
@Path("/account/ssh")
public class SshResource {

    /** A running container's ways in. */
    public record ContainerLinks(String project, String name, String remoteSsh, String attach) {
    }

    public record Page(List<SshPublicKey> keys, String config, String keyPath, String host, List<ContainerLinks> containers,
            String remoteSshHome) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ssh(Page page, String error);
    }

    private static final java.util.regex.Pattern KEY_PATH = java.util.regex.Pattern.compile("~/\\.ssh/[A-Za-z0-9._-]{1,64}");

    private final AuthorizedKeys keys;
    private final ContainerListing listing;
    private final LauncherConfig config;
    private final SignedIn signedIn;

    public SshResource(AuthorizedKeys keys, ContainerListing listing, LauncherConfig config, SignedIn signedIn) {
        this.keys = keys;
        this.listing = listing;
        this.config = config;
        this.signedIn = signedIn;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance view(@QueryParam("key") String keyPath, @Context UriInfo uri) {
        return Templates.ssh(page(keyPath, uri), null);
    }

    /** The same config as a file to save as (or Include from) ~/.ssh/config. */
    @GET
    @Path("config")
    @Produces(MediaType.TEXT_PLAIN)
    public Response download(@QueryParam("key") String keyPath, @Context UriInfo uri) {
        return Response.ok(page(keyPath, uri).config()).header("Content-Disposition",
                "attachment; filename=\"ds01-ssh-config\"").build();
    }

    @POST
    @Path("keys")
    @Produces(MediaType.TEXT_HTML)
    public Response add(@FormParam("key") String text, @Context UriInfo uri) {
        HostAccount account = signedIn.account();
        SshPublicKey key;
        try {
            key = SshPublicKey.parse(text);
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Templates.ssh(page(null, uri), e.getMessage())).build();
        }
        try {
            keys.add(account, key);
        } catch (WebApplicationException e) {
            return Response.status(e.getResponse().getStatus()).entity(Templates.ssh(page(null, uri), e.getMessage()))
                    .build();
        }
        return Flash.redirect(URI.create("/account/ssh"), "success", key.kind() + " key " + key.fingerprint()
                + " may now sign in over SSH as " + account.username() + ".");
    }

    @POST
    @Path("keys/remove")
    public Response remove(@FormParam("fingerprint") String fingerprint) {
        if (fingerprint == null || !fingerprint.matches("SHA256:[A-Za-z0-9+/]{43}")) {
            throw new BadRequestException("Name a key by its fingerprint (SHA256:...).");
        }
        keys.remove(signedIn.account(), fingerprint);
        return Flash.redirect(URI.create("/account/ssh"), "success", "Key " + fingerprint + " removed: it can no "
                + "longer sign in.");
    }

    private Page page(String keyPath, UriInfo uri) {
        HostAccount account = signedIn.account();
        String path = keyPath != null && KEY_PATH.matcher(keyPath).matches() ? keyPath : "~/.ssh/id_ed25519";
        String host = config.sshHost().filter(h -> !h.isBlank()).orElse(uri.getBaseUri().getHost());
        if (host == null || !SshConfig.HOST.matcher(host).matches()) {
            throw new WebApplicationException("The portal does not know its SSH host name; an admin sets DS01_SSH_HOST.",
                    503);
        }
        List<ContainerListing.ContainerView> running = listing.of(Optional.of(account.username())).stream()
                .filter(ContainerListing.ContainerView::running).toList();
        String config = SshConfig.text(host, account.username(), path, running.stream()
                .map(c -> new SshConfig.Container(c.project(), c.name())).toList());
        return new Page(keys.of(account), config, path, host, running.stream().map(c -> new ContainerLinks(c.project(),
                c.name(), SshConfig.remoteSshLink(account.home(), c.project()), SshConfig.attachLink(c.name()))).toList(),
                SshConfig.remoteSshLink(account.home(), ""));
    }
}
