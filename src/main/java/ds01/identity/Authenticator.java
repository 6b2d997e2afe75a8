package ds01.identity;

/** Checks a user name and password (the JupyterHub seam: one small interface, one real implementation). */
public interface Authenticator {

    SignInResult authenticate(String username, String password);
}
