package ds01.events;

/** E-mail to users, the one outside system the lifecycle warnings use besides the portal itself. */
public interface MailOut {

    /** Whether the site configured SMTP ({@code DS01_MAIL_FROM} set): without it, nothing is sent. */
    boolean enabled();

    /** The address of a user: the one their sign-in gave (SSO), else user@{@code DS01_MAIL_DOMAIN}, if set. */
    java.util.Optional<String> addressOf(String username, String knownEmail);

    void send(String to, String subject, String text);
}
