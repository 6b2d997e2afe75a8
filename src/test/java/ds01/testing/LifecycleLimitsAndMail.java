package ds01.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Short idle and runtime limits (limits-lifecycle.yaml), the test base image, no GPU sweep, and e-mail to
 * {@link #SMTP}: the lifecycle tests and bench.
 */
public class LifecycleLimitsAndMail implements QuarkusTestProfile {

    /** The site's mail server, for the warnings by e-mail. */
    public static final SmtpSink SMTP = SmtpSink.start();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ds01.limits.file", "src/test/resources/limits-lifecycle.yaml",
                "ds01.containers.base-images", "ds01-test/base:latest", "ds01.gpu.sweep", "off",
                "ds01.mail.from", "ds01-portal@lab.example", "ds01.mail.domain", "lab.example",
                "quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(SMTP.port()),
                "quarkus.mailer.start-tls", "DISABLED");
    }
}
