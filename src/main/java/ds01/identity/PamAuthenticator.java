package ds01.identity;

import ds01.web.UserName;
import com.sun.jna.Native;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;
import org.jvnet.libpam.PAM;
import org.jvnet.libpam.PAMException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import ds01.identity.ShadowEntries.ShadowEntry;
import ds01.identity.SignInResult.Reason;
import ds01.identity.SignInResult.Refused;

/**
 * Passwords checked by PAM with the portal's own service file (deploy/pam/ds01-portal: pam_unix auth and
 * account), as JupyterHub's PAMAuthenticator does. To check other people's passwords the portal runs as root
 * or in group {@code shadow}.
 *
 * <p>libpam4j runs pam_authenticate, pam_setcred and pam_acct_mgmt in turn and names the step that failed at the
 * start of its message; the step tells a password problem from an account problem. Within a step PAM's codes do
 * not tell a locked account from a wrong password, and its texts are translated, so the reason comes from the
 * account's shadow entry ({@link ShadowEntries}).
 */
// the service file is checked when the portal starts, not at the first sign-in; and before the scheduler starts
// (its observer has priority PLATFORM_BEFORE), so a refused start is not followed by jobs failing mid-shutdown
@Startup(Interceptor.Priority.PLATFORM_BEFORE - 1)
@ApplicationScoped
public class PamAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(PamAuthenticator.class);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_PASSWORD = 1024;
    static final String WRONG = "Wrong user name or password. Use your account on this GPU server (as for "
            + "SSH); if you have forgotten the password, ask the server's admins to reset it.";

    private final IdentityConfig config;
    private final HostAccounts accounts;
    private final ShadowEntries shadow = new ShadowEntries();

    /** Also the constructor tests use, with a plain {@link NssHostAccounts}. */
    public PamAuthenticator(IdentityConfig config, HostAccounts accounts) {
        this.config = config;
        this.accounts = accounts;
        requireServiceFile(config.pamService());
    }

    /**
     * PAM reads services from /etc/pam.d and, for a service it does not find, quietly uses /etc/pam.d/other:
     * another policy than the one shipped. So a missing file stops the portal instead.
     */
    static void requireServiceFile(String service) {
        if (service == null || !SERVICE_NAME.matcher(service).matches()) {
            throw new PamServiceException("ds01.identity.pam-service (DS01_IDENTITY_PAM_SERVICE) \"" + service
                    + "\" is not a PAM service name (lower-case letters, digits, '.', '_', '-')");
        }
        Path file = Path.of("/etc/pam.d", service);
        if (!Files.isRegularFile(file)) {
            throw new PamServiceException("PAM service file " + file + " is missing, so PAM would check passwords "
                    + "with /etc/pam.d/other instead.\nInstall the portal's, as root: install -m 0644 deploy/pam/ds01-portal "
                    + file + " (./run-portal.sh does this when run as root)");
        }
    }

    @Override
    public SignInResult authenticate(String username, String password) {
        Optional<Refused> invalid = checkInput(username, password);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        requireUtf8ForNonAscii(password);
        Optional<HostAccount> account = accounts.find(username);
        if (account.isPresent() && !account.get().maySignIn(config.minimumUid())) {
            // before PAM: nobody gets to try passwords on root or system accounts through the portal
            return account.get().uid() == 0
                    ? new Refused(Reason.NOT_ALLOWED, "root cannot sign in to the portal. Sign in with your own account.")
                    : new Refused(Reason.NOT_ALLOWED, "System accounts (uid below " + config.minimumUid()
                            + ") cannot sign in to the portal. Sign in with your own account.");
        }
        // Unknown users go through PAM too: pam_unix then fails as slowly as for a wrong password, so the time
        // a refusal takes does not tell which accounts exist.
        PAM pam = null;
        try {
            pam = new PAM(config.pamService());
            pam.authenticate(username, password);
        } catch (PAMException e) {
            return refusal(username, account.isPresent(), e.getMessage());
        } finally {
            if (pam != null) {
                pam.dispose();
            }
        }
        return new SignInResult.SignedIn(account.orElseThrow(() -> new IllegalStateException(
                "PAM accepted " + username + " but NSS has no such account: check /etc/nsswitch.conf")));
    }

    private Refused refusal(String username, boolean exists, String pamMessage) {
        String message = pamMessage == null ? "" : pamMessage;
        LOG.debugf("PAM refused %s: %s", username, message);
        if (message.startsWith("pam_authenticate")) {
            boolean locked = exists && shadow.find(username).map(ShadowEntry::locked).orElse(false);
            return locked
                    ? new Refused(Reason.ACCOUNT_LOCKED, "Your account on this server is locked. Ask the server's "
                            + "admins to unlock it.")
                    : new Refused(Reason.WRONG_PASSWORD, WRONG);
        }
        if (message.startsWith("pam_acct_mgmt")) {
            // the password was right; the account may not be used now
            Optional<ShadowEntry> entry = shadow.find(username);
            long today = ShadowEntries.today();
            if (entry.isPresent() && entry.get().accountExpired(today)) {
                return new Refused(Reason.ACCOUNT_EXPIRED, "Your account on this server has expired. Ask the "
                        + "server's admins to extend it.");
            }
            if (entry.isPresent() && entry.get().passwordExpired(today)) {
                return new Refused(Reason.PASSWORD_EXPIRED, "Your password has expired. Sign in over SSH once to "
                        + "choose a new one, then sign in here.");
            }
            return new Refused(Reason.NOT_ALLOWED, "This server does not let your account sign in now ("
                    + message.substring(message.indexOf(':') + 1).strip() + "). Ask the server's admins.");
        }
        // pam_start, pam_set_item or pam_setcred: the PAM setup is broken, which no user can fix
        throw new IllegalStateException("PAM service " + config.pamService() + " failed for " + username + ": " + message);
    }

    /**
     * JNA hands strings to PAM in its default encoding, which follows the locale: with none (LANG unset, as in
     * a bare systemd unit) it is US-ASCII and "Grüße" reaches PAM as "Gr??e", refused as a wrong password that
     * no one could ever get right. Host passwords are UTF-8 bytes, so that is a server fault and says so.
     */
    static void requireUtf8ForNonAscii(String password) {
        Charset jna = Charset.forName(Native.getDefaultStringEncoding());
        if (!jna.equals(StandardCharsets.UTF_8) && !StandardCharsets.US_ASCII.newEncoder().canEncode(password)) {
            throw new IllegalStateException("a password with non-ASCII characters cannot be checked: JNA encodes "
                    + "strings for PAM as " + jna + ", not UTF-8. Start the portal with LANG=C.UTF-8 (or "
                    + "-Djna.encoding=UTF-8)");
        }
    }

    /** Checked before PAM sees anything: PAM gets C strings, so a NUL would cut the password short. */
    static Optional<Refused> checkInput(String username, String password) {
        if (!UserName.isValid(username)) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "That is not a user name of this server: "
                    + "lower-case letters, digits, '-' and '_', starting with a letter, at most 32 characters."));
        }
        if (password == null || password.isEmpty()) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "Enter your password."));
        }
        if (password.length() > MAX_PASSWORD || password.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "That password cannot be right: it is longer than "
                    + MAX_PASSWORD + " characters or contains control characters."));
        }
        return Optional.empty();
    }
}
