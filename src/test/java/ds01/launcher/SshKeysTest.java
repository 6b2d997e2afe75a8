package ds01.launcher;

import ds01.identity.SshPublicKey;
import ds01.testing.FormPost;
import ds01.testing.TestDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SSH keys made by the real ssh-keygen: public keys of each kind accepted and written to the user's
 * authorized_keys with sshd's modes and owner; private keys, options, garbage and weak keys refused without
 * touching the file; the generated SSH config read back by the real {@code ssh -G}; the VS Code links.
 */
@QuarkusTest
@TestSecurity(user = "ds01alice", roles = "user")
class SshKeysTest {

    static final Path SSH = Path.of("/home/ds01alice/.ssh");
    static Path keys;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = Files.createTempDirectory("ds01-ssh-keys");
        for (String[] k : new String[][] {{"ed25519", "-t", "ed25519"}, {"rsa", "-t", "rsa", "-b", "3072"},
                {"ecdsa", "-t", "ecdsa", "-b", "256"}, {"weak", "-t", "rsa", "-b", "1024"}}) {
            List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "alice@" + k[0],
                    "-f", keys.resolve(k[0]).toString()));
            command.addAll(List.of(k).subList(1, k.length));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        }
    }

    static String pub(String name) throws IOException {
        return Files.readString(keys.resolve(name + ".pub")).strip();
    }

    static String sshKeygen(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @BeforeEach
    @AfterEach
    void noSshDirectory() throws Exception {
        new ProcessBuilder("rm", "-rf", SSH.toString()).start().waitFor();
    }

    @Test
    void parsingTakesEachKindOfPublicKeyAndRefusesEverythingElse() throws Exception {
        for (String kind : List.of("ed25519", "rsa", "ecdsa")) {
            SshPublicKey key = SshPublicKey.parse(pub(kind));
            assertThat(key.comment()).isEqualTo("alice@" + kind);
            assertThat(sshKeygen("-l", "-f", keys.resolve(kind + ".pub").toString())).contains(key.fingerprint());
        }
        String ed = pub("ed25519");
        String blob = ed.split(" ")[1];
        assertThatThrownBy(() -> SshPublicKey.parse(Files.readString(keys.resolve("ed25519"))))
                .hasMessageContaining("private key");
        assertThatThrownBy(() -> SshPublicKey.parse("command=\"rm -rf /\" " + ed)).hasMessageContaining("options");
        assertThatThrownBy(() -> SshPublicKey.parse("from=\"10.0.0.1\",no-pty " + ed)).hasMessageContaining("options");
        assertThatThrownBy(() -> SshPublicKey.parse(pub("weak"))).hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + blob + " liar")).hasMessageContaining("holds a ssh-ed25519");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshPublicKey.parse("hello world")).hasMessageContaining("not a key type");
        assertThatThrownBy(() -> SshPublicKey.parse(ed + "\nssh-ed25519 " + blob)).hasMessageContaining("one line");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-dss " + blob)).hasMessageContaining("not a key type");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 " + blob + " evil\u0007")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ExtractableResponse<Response> post(String action, Map<String, String> fields) {
        return FormPost.from("/projects/new", action, fields);
    }

    @Test
    void aKeyGoesIntoAuthorizedKeysAsSshdWantsItAndTheUsersOwnLinesStay() throws Exception {
        // a line the user wrote themselves, with options: kept as it is
        Files.createDirectories(SSH);
        String own = "no-port-forwarding " + pub("rsa");
        Files.writeString(SSH.resolve("authorized_keys"), own + "\n");
        new ProcessBuilder("chown", "-R", "2001:2001", SSH.toString()).start().waitFor();

        ExtractableResponse<Response> added = post("/account/ssh/keys", Map.of("key", pub("ed25519") + "\n"));
        assertThat(added.statusCode()).as(added.asString()).isEqualTo(303);
        Path file = SSH.resolve("authorized_keys");
        assertThat(Files.readAllLines(file)).containsExactly(own, pub("ed25519"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(SSH, LinkOption.NOFOLLOW_LINKS))).isEqualTo("rwx------");
        assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(2001);
        String fingerprint = SshPublicKey.parse(pub("ed25519")).fingerprint();
        assertThat(given().accept("text/html").get("/account/ssh").then().extract().asString()).contains(fingerprint, "Ed25519");

        assertThat(post("/account/ssh/keys", Map.of("key", pub("ed25519"))).statusCode()).as("twice").isEqualTo(409);
        for (String bad : List.of(Files.readString(keys.resolve("ecdsa")), "command=\"id\" " + pub("ecdsa"), "garbage",
                pub("weak"))) {
            ExtractableResponse<Response> refused = post("/account/ssh/keys", Map.of("key", bad));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.asString()).contains("id=\"form-error\"");
        }
        assertThat(Files.readAllLines(file)).as("refusals change nothing").containsExactly(own, pub("ed25519"));

        assertThat(post("/account/ssh/keys/remove", Map.of("fingerprint", fingerprint)).statusCode()).isEqualTo(303);
        assertThat(Files.readAllLines(file)).containsExactly(own);
        assertThat(post("/account/ssh/keys/remove", Map.of("fingerprint", fingerprint)).statusCode()).isEqualTo(404);
    }

    @Test
    void aPlantedLinkIsNeverWrittenThrough() throws Exception {
        Path target = Files.createTempFile("ds01-not-alices", ".txt");
        Files.writeString(target, "root's file\n");
        Files.createDirectories(SSH);
        Files.createSymbolicLink(SSH.resolve("authorized_keys"), target);
        new ProcessBuilder("chown", "-h", "-R", "2001:2001", SSH.toString()).start().waitFor();
        ExtractableResponse<Response> r = post("/account/ssh/keys", Map.of("key", pub("ed25519")));
        assertThat(r.statusCode()).as("alice may not read root's file, so neither may the portal for her").isEqualTo(409);
        assertThat(r.asString()).contains("cannot be read as you");
        assertThat(given().accept("text/html").get("/account/ssh").then().extract().statusCode()).isEqualTo(409);
        assertThat(Files.readString(target)).isEqualTo("root's file\n");
        Files.delete(target);
    }

    @Test
    void theSshConfigIsOneSshReadsAndTheVsCodeLinksNameTheContainer() throws Exception {
        TestDatabase.empty(dataSource);
        TestDatabase.alicesSecretContainer(dataSource);
        String config = given().get("/account/ssh/config?key=~/.ssh/id_lab").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"ds01-ssh-config\"").extract().asString();
        Path file = Files.createTempFile("ds01-ssh-config", "");
        Files.writeString(file, config);
        String host = ssh("-G", "-F", file.toString(), "ds01");
        assertThat(host).contains("hostname localhost\n", "user ds01alice\n", "serveraliveinterval 60\n",
                "identityfile ~/.ssh/id_lab\n");
        String container = ssh("-G", "-F", file.toString(), "ds01-secret");
        assertThat(container).contains("remotecommand docker exec -it -w /workspace secret._.2001 bash -l\n", "requesttty true\n");

        String page = given().accept("text/html").get("/account/ssh").then().statusCode(200).extract().asString();
        String attach = SshConfig.attachLink("secret._.2001");
        assertThat(page).contains("vscode://vscode-remote/ssh-remote+ds01/home/ds01alice/workspace/secret", attach);
        String hex = attach.substring(attach.indexOf('+') + 1, attach.indexOf("/workspace"));
        assertThat(new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8))
                .isEqualTo("{\"containerName\":\"/secret._.2001\",\"settings\":{\"host\":\"ssh://ds01\"}}");
        assertThat(given().get("/account/ssh/config?key=/etc/shadow").then().extract().asString())
                .as("an odd key path falls back to the default").contains("IdentityFile ~/.ssh/id_ed25519");
    }

    static String ssh(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ssh"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
