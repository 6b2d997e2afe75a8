package ds01.identity;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jvnet.libpam.PAM;
import org.jvnet.libpam.PAMException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import ds01.identity.SignInResult.Reason;
import ds01.identity.SignInResult.Refused;

/**
 * Passwords checked by PAM with the portal's own service file (deploy/pam/ds01-portal: pam_unix auth and
 * account), as JupyterHub's PAMAuthenticator does. To check other people's passwords the portal runs as root
 * or in group {@code shadow}.
 */
@ApplicationScoped
public class PamAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(PamAuthenticator.class);
    private static final int MAX_PASSWORD = 1024;
    private static final String WRONG = "Wrong user name or password. Use your account on this GPU server (as for "
            + "SSH); if you have forgotten the password, ask the server's admins to reset it.";

    /** libc's getspnam: the shadow entry tells a locked account (hash starting with "!") from a wrong password. */
    interface Shadow extends Library {
        Pointer getspnam(String name);
    }

    private final IdentityConfig config;
    private final PortalIdentities identities;
    private final Shadow shadow = Native.load("c", Shadow.class);

    public PamAuthenticator(IdentityConfig config, PortalIdentities identities) {
        this.config = config;
        this.identities = identities;
        Path service = Path.of("/etc/pam.d", config.pamService());
        if (!Files.isRegularFile(service)) {
            LOG.errorf("PAM service file %s is missing: password sign-in will fail. Install it with: "
                    + "cp deploy/pam/ds01-portal %s", service, service);
        }
    }

    @Override
    public SignInResult authenticate(String username, String password) {
        Optional<Refused> invalid = checkInput(username, password);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Optional<HostAccount> account = identities.mayUsePortal(username);
        if (account.isEmpty()) {
            return refusedWithoutAccount(username);
        }
        PAM pam = null;
        try {
            pam = new PAM(config.pamService());
            pam.authenticate(username, password);
            return new SignInResult.SignedIn(account.get());
        } catch (PAMException e) {
            return refusal(username, e.getMessage());
        } finally {
            if (pam != null) {
                pam.dispose();
            }
        }
    }

    private SignInResult refusedWithoutAccount(String username) {
        if (username.equals("root")) {
            return new Refused(Reason.NOT_ALLOWED, "root cannot sign in to the portal. Sign in with your own account.");
        }
        // an account below the minimum uid exists but is a system account; an unknown one looks like a wrong password
        return isSystemAccount(username)
                ? new Refused(Reason.NOT_ALLOWED, "System accounts (uid below " + config.minimumUid()
                        + ") cannot sign in to the portal. Sign in with your own account.")
                : new Refused(Reason.WRONG_PASSWORD, WRONG);
    }

    private boolean isSystemAccount(String username) {
        return org.jvnet.libpam.UnixUser.exists(username);
    }

    private SignInResult refusal(String username, String pamMessage) {
        String message = pamMessage == null ? "" : pamMessage;
        if (message.contains("pam_acct_mgmt")) {
            if (message.contains("expired")) {
                return new Refused(Reason.ACCOUNT_EXPIRED, "Your account on this server has expired. Ask the "
                        + "server's admins to extend it.");
            }
            if (message.contains("new one required") || message.contains("NEW_AUTHTOK")) {
                return new Refused(Reason.PASSWORD_EXPIRED, "Your password has expired. Sign in over SSH once to "
                        + "choose a new one, then sign in here.");
            }
            return new Refused(Reason.NOT_ALLOWED, "This server does not let your account sign in now ("
                    + message.substring(message.indexOf(':') + 1).strip() + "). Ask the server's admins.");
        }
        if (isLocked(username)) {
            return new Refused(Reason.ACCOUNT_LOCKED, "Your account on this server is locked. Ask the server's "
                    + "admins to unlock it.");
        }
        return new Refused(Reason.WRONG_PASSWORD, WRONG);
    }

    private boolean isLocked(String username) {
        Pointer entry = shadow.getspnam(username);
        if (entry == null) {
            return false;
        }
        Pointer hash = entry.getPointer(Native.POINTER_SIZE);
        return hash != null && hash.getString(0).startsWith("!");
    }

    private static Optional<Refused> checkInput(String username, String password) {
        if (!UserName.isValid(username)) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "That is not a user name of this server: "
                    + "lower-case letters, digits, '-' and '_', starting with a letter, at most 32 characters."));
        }
        if (password == null || password.isEmpty()) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "Enter your password."));
        }
        if (password.length() > MAX_PASSWORD || password.chars().anyMatch(c -> c == 0)) {
            return Optional.of(new Refused(Reason.INVALID_INPUT, "That password cannot be right: it is too long or "
                    + "contains characters a password cannot have."));
        }
        return Optional.empty();
    }
}
