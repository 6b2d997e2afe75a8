package ds01.events;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** {@link MailOut} through quarkus-mailer's SMTP client ({@code quarkus.mailer.*}, {@code DS01_SMTP_*}). */
@ApplicationScoped
public class SmtpMailOut implements MailOut {

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^@\\s<>\"]+@[A-Za-z0-9.-]+");

    private final Mailer mailer;
    private final Optional<String> from;
    private final Optional<String> domain;

    public SmtpMailOut(Mailer mailer, @ConfigProperty(name = "ds01.mail.from") Optional<String> from,
            @ConfigProperty(name = "ds01.mail.domain") Optional<String> domain) {
        this.mailer = mailer;
        this.from = from.filter(f -> !f.isBlank());
        this.domain = domain.filter(d -> !d.isBlank());
    }

    @Override
    public boolean enabled() {
        return from.isPresent();
    }

    @Override
    public Optional<String> addressOf(String username, String knownEmail) {
        if (knownEmail != null && ADDRESS.matcher(knownEmail).matches()) {
            return Optional.of(knownEmail);
        }
        return domain.map(d -> username + "@" + d);
    }

    @Override
    public void send(String to, String subject, String text) {
        mailer.send(Mail.withText(to, subject, text).setFrom(from.orElseThrow()));
    }
}
