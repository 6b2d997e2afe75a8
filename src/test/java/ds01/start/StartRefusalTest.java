package ds01.start;

import ds01.identity.PamServiceException;
import ds01.limits.LimitsFileException;
import io.quarkus.runtime.QuarkusBindException;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Which start failures a person can act on, and the two lines each gets; the packaged portal: PortalStartIT. */
class StartRefusalTest {

    private static RuntimeException quarkusStart(Throwable cause) {
        return new RuntimeException("Failed to start quarkus", cause);
    }

    @Test
    void theLimitsFileAndPamServiceAreFoundWhereverQuarkusWrappedThem() {
        LimitsFileException limits = new LimitsFileException("l.yaml", OptionalInt.of(7), Optional.of("defaults.max_cpus"),
                "a number of CPUs", Optional.of("lots"), new IllegalArgumentException("lots"));
        assertThat(StartRefusal.of(quarkusStart(new IllegalStateException("bean", limits)))).hasValueSatisfying(l -> {
            assertThat(l).hasSize(2);
            assertThat(l.get(0)).startsWith("DS01 Portal did not start: the limits file is refused: l.yaml line 7");
            assertThat(l.get(1)).startsWith("Fix the file");
        });
        assertThat(StartRefusal.of(quarkusStart(new PamServiceException("PAM service file x is missing.\nInstall it."))))
                .contains(List.of("DS01 Portal did not start: PAM service file x is missing.", "Install it."));
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsToldFromOneThatRefusesTheLogin() {
        SQLException refused = new SQLException("The connection attempt failed.", "08001",
                new ConnectException("Connection refused"));
        assertThat(StartRefusal.of(quarkusStart(new RuntimeException("flyway", refused)))).hasValueSatisfying(l ->
                assertThat(l.get(0)).endsWith("the database does not answer: The connection attempt failed. "
                        + "(ConnectException: Connection refused)"));
        SQLException login = new SQLException("password authentication failed for user \"ds01\"", "28P01");
        assertThat(StartRefusal.of(quarkusStart(login))).hasValueSatisfying(l ->
                assertThat(l.get(1)).isEqualTo("Check DS01_DB_USER and DS01_DB_PASSWORD."));
        assertThat(StartRefusal.of(quarkusStart(new SQLException("syntax error", "42601"))))
                .as("an SQL bug keeps its stack trace").isEmpty();
    }

    @Test
    void anIntervalThatIsNoDurationIsNamedByItsKeyAndVariable() {
        IllegalStateException scheduler = new IllegalStateException("Invalid every() expression on: "
                + "@io.quarkus.scheduler.Scheduled(identity=\"lifecycle-sweep\", "
                + "delayed=\"${ds01.lifecycle.first-delay:60s}\", every=\"${ds01.lifecycle.interval:60s}\")",
                new IllegalArgumentException("Invalid duration: often"));
        assertThat(StartRefusal.of(quarkusStart(scheduler))).hasValueSatisfying(l -> assertThat(l.get(0)).endsWith(
                "ds01.lifecycle.interval (DS01_LIFECYCLE_INTERVAL) is not a duration (Invalid duration: often)."));
    }

    @Test
    void aTakenPortSaysWhichAndABugSaysNothing() {
        QuarkusBindException bind = new QuarkusBindException("127.0.0.1", 8080, new BindException("in use"));
        assertThat(StartRefusal.of(quarkusStart(bind))).hasValueSatisfying(l ->
                assertThat(l.get(0)).endsWith("port 8080 on 127.0.0.1 is taken by another program."));
        assertThat(StartRefusal.of(quarkusStart(new NullPointerException()))).isEmpty();
        assertThat(StartRefusal.of(new IllegalStateException("Invalid every() expression, but no key"))).isEmpty();
    }
}
