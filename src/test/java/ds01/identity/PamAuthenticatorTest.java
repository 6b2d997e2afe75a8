package ds01.identity;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.jna.Native;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import ds01.identity.SignInResult.Reason;
import ds01.identity.SignInResult.Refused;
import ds01.identity.SignInResult.SignedIn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Signs in through real PAM (the shipped service file, pam_unix) with the real accounts that
 * testing/setup-accounts.sh creates. Plain JUnit: no portal is started.
 */
class PamAuthenticatorTest {

    static final String PASSWORD = "ds01-test-password";
    static final String SETUP = "run testing/setup-accounts.sh (testing/run-tests.sh does)";

    static IdentityConfig config(String service, int minimumUid) {
        return new IdentityConfig() {
            public String pamService() { return service; }
            public int minimumUid() { return minimumUid; }
            public boolean ssoEnabled() { return false; }
            public String usernameClaim() { return "preferred_username"; }
            public Optional<String> stripDomain() { return Optional.empty(); }
        };
    }

    static final HostAccounts NSS = new NssHostAccounts();
    static PamAuthenticator pam;

    @BeforeAll
    static void accountsAreSetUp() throws IOException {
        Path installed = Path.of("/etc/pam.d/ds01-portal");
        if (!Files.isRegularFile(installed)) {
            fail(installed + " is missing: " + SETUP);
        }
        assertEquals(Files.readString(Path.of("deploy/pam/ds01-portal")), Files.readString(installed),
                installed + " differs from deploy/pam/ds01-portal, so the tests would not check the shipped file: " + SETUP);
        for (String name : new String[] {"ds01alice", "ds01bob", "ds01admin", "ds01locked", "ds01expired", "ds01sys",
                "ds01passexp", "ds01umlaut"}) {
            if (NSS.find(name).isEmpty()) {
                fail("test account " + name + " is missing: " + SETUP);
            }
        }
        pam = new PamAuthenticator(config("ds01-portal", 1000), NSS);
    }

    static Refused refused(SignInResult result, Reason reason) {
        Refused refused = assertInstanceOf(Refused.class, result, "expected a refusal");
        assertEquals(reason, refused.reason(), refused.message());
        return refused;
    }

    @Test
    void theRightPasswordSignsInWithTheHostAccount() {
        HostAccount alice = assertInstanceOf(SignedIn.class, pam.authenticate("ds01alice", PASSWORD)).account();
        assertEquals("ds01alice", alice.username());
        assertEquals(2001, alice.uid());
        assertEquals(NSS.find("ds01alice").orElseThrow().gid(), alice.gid());
        assertEquals("/home/ds01alice", alice.home());
        assertTrue(alice.groups().contains("ds01alice"), alice.groups().toString());

        HostAccount admin = assertInstanceOf(SignedIn.class, pam.authenticate("ds01admin", PASSWORD)).account();
        assertTrue(admin.groups().contains("ds01-admin"), admin.groups().toString());
        HostAccount bob = assertInstanceOf(SignedIn.class, pam.authenticate("ds01bob", PASSWORD)).account();
        assertTrue(bob.groups().contains("ds01-researchers"), bob.groups().toString());
    }

    @Test
    void aPasswordBeyondAsciiReachesPamAsUtf8OrTheServerSaysWhyNot() {
        String password = "Grüße aus dem Labor 42";
        if (Charset.forName(Native.getDefaultStringEncoding()).equals(StandardCharsets.UTF_8)) {
            assertEquals(2007, assertInstanceOf(SignedIn.class, pam.authenticate("ds01umlaut", password)).account().uid());
            refused(pam.authenticate("ds01umlaut", "Grüße aus dem Labor 43"), Reason.WRONG_PASSWORD);
        } else {
            // no UTF-8 locale in this test JVM: PAM would get "Gr??e", so the portal refuses to guess
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pam.authenticate("ds01umlaut", password));
            assertTrue(e.getMessage().contains("LANG=C.UTF-8") && !e.getMessage().contains(password), e.getMessage());
        }
    }

    @Test
    void anUnknownUserLooksLikeAWrongPasswordAndTakesAsLong() {
        long start = System.nanoTime();
        Refused wrong = refused(pam.authenticate("ds01alice", "not-" + PASSWORD), Reason.WRONG_PASSWORD);
        long wrongMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Refused unknown = refused(pam.authenticate("ds01nobody", PASSWORD), Reason.WRONG_PASSWORD);
        long unknownMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(wrong.message(), unknown.message());
        // pam_unix delays every failure (about 2 s); an unknown user must not come back at once
        assertTrue(wrongMillis > 1000 && unknownMillis > 1000, "wrong " + wrongMillis + " ms, unknown " + unknownMillis + " ms");
    }

    @Test
    void aLockedAccountIsRefusedAsLocked() {
        assertTrue(refused(pam.authenticate("ds01locked", PASSWORD), Reason.ACCOUNT_LOCKED).message().contains("locked"));
    }

    @Test
    void anExpiredAccountIsRefusedAsExpiredOnlyWithTheRightPassword() {
        assertTrue(refused(pam.authenticate("ds01expired", PASSWORD), Reason.ACCOUNT_EXPIRED).message().contains("expired"));
        // with a wrong password nothing about the account is told
        refused(pam.authenticate("ds01expired", "not-" + PASSWORD), Reason.WRONG_PASSWORD);
    }

    @Test
    void anExpiredPasswordIsRefusedAsExpiredPassword() {
        refused(pam.authenticate("ds01passexp", PASSWORD), Reason.PASSWORD_EXPIRED);
    }

    @Test
    void systemAccountsAndRootCannotSignIn() {
        assertTrue(NSS.find("ds01sys").orElseThrow().uid() < 1000);
        assertTrue(refused(pam.authenticate("ds01sys", PASSWORD), Reason.NOT_ALLOWED).message().contains("uid below 1000"));
        refused(pam.authenticate("root", PASSWORD), Reason.NOT_ALLOWED);
        PamAuthenticator everyone = new PamAuthenticator(config("ds01-portal", 0), NSS);
        assertTrue(refused(everyone.authenticate("root", PASSWORD), Reason.NOT_ALLOWED).message().startsWith("root"));
        assertInstanceOf(SignedIn.class, everyone.authenticate("ds01sys", PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alice", "1abc", "a b", "al\tice", "alice\n", "al\u0000ice", "ds01alice;id", "../etc",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void badUserNamesAreRefusedBeforeAnyLookup(String username) {
        PamAuthenticator untouchable = new PamAuthenticator(config("ds01-portal", 1000), name -> {
            throw new AssertionError("looked up " + name);
        });
        refused(untouchable.authenticate(username, PASSWORD), Reason.INVALID_INPUT);
        refused(untouchable.authenticate(null, PASSWORD), Reason.INVALID_INPUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pass\u0000word", "pass\nword", "pass\u007fword", "\u009b"})
    void badPasswordsAreRefusedBeforeAnyLookup(String password) {
        PamAuthenticator untouchable = new PamAuthenticator(config("ds01-portal", 1000), name -> {
            throw new AssertionError("looked up " + name);
        });
        assertTrue(refused(untouchable.authenticate("ds01alice", password), Reason.INVALID_INPUT).message().length() > 10);
        refused(untouchable.authenticate("ds01alice", null), Reason.INVALID_INPUT);
        refused(untouchable.authenticate("ds01alice", "x".repeat(PamAuthenticator.MAX_PASSWORD + 1)), Reason.INVALID_INPUT);
    }

    @Test
    void aMissingOrOddServiceFileStopsThePortal() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new PamAuthenticator(config("ds01-no-such-service", 1000), NSS));
        assertTrue(missing.getMessage().contains("/etc/pam.d/ds01-no-such-service"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> new PamAuthenticator(config("../shadow", 1000), NSS));
    }
}
