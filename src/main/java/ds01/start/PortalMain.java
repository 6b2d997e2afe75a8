package ds01.start;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * The portal's entry point: Quarkus's own, except for how a failed start is told. Quarkus logs every start
 * failure with its whole stack trace (60 lines for a missing PAM file); a refusal a person can act on
 * ({@link StartRefusal}) is printed as its one or two lines instead, and the portal exits with status 1.
 * Anything else is a bug and keeps its stack trace.
 */
@QuarkusMain
public class PortalMain {

    private static final Logger LOG = Logger.getLogger(PortalMain.class);

    public static void main(String... args) {
        Quarkus.run(Portal.class, PortalMain::exit, args);
    }

    /** Runs until a signal or {@link Quarkus#asyncExit} stops the portal, as the generated main does. */
    public static class Portal implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }

    private static void exit(Integer code, Throwable failure) {
        if (failure != null) {
            Optional<List<String>> refusal = StartRefusal.of(failure);
            if (refusal.isPresent()) {
                refusal.get().forEach(System.err::println);
                System.err.flush();
            } else {
                LOG.error("Failed to start the portal", failure);
            }
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(failure == null ? code : Math.max(code, 1),
                failure);
    }
}
