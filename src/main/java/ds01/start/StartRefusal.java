package ds01.start;

import ds01.database.EmbeddedDatabaseException;
import ds01.identity.PamServiceException;
import ds01.limits.LimitsFileException;
import io.quarkus.runtime.PreventFurtherStepsException;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the portal would not start, in the one or two lines a person can act on: which file, value, port or
 * database is wrong and what to do about it. Only for causes outside the portal's code (its setup); a failure
 * this does not know is a bug, and {@link PortalMain} keeps its stack trace.
 */
final class StartRefusal {

    static final String HEAD = "DS01 Portal did not start: ";

    private StartRefusal() {
    }

    /** The lines to print for a failed start, or empty when the failure is not one a person can fix. */
    static Optional<List<String>> of(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof PamServiceException) {
                return lines(t.getMessage());
            }
            if (t instanceof LimitsFileException) {
                return lines("the limits file is refused: " + t.getMessage()
                        + "\nFix the file (DS01_LIMITS_FILE names it; default config/resource-limits.yaml) and start "
                        + "the portal again.");
            }
            if (t instanceof EmbeddedDatabaseException) {
                return lines(t.getMessage());
            }
            if (t instanceof QuarkusBindException bind) {
                return lines("port " + bind.getPort() + " on " + bind.getHost() + " is taken by another program."
                        + "\nStop that program, or start the portal on another port (DS01_HTTP_PORT=8081).");
            }
            if (t instanceof ConfigurationException || t instanceof ConfigValidationException) {
                return lines("a configuration value is wrong: " + t.getMessage().strip()
                        + "\nCorrect it (environment DS01_*, or /etc/ds01-portal/env) and start the portal again.");
            }
            Optional<String> schedule = scheduleKey(t);
            if (schedule.isPresent()) {
                String key = schedule.get();
                return lines("a configuration value is wrong: " + key + " (" + environmentName(key) + ") is not a "
                        + "duration (" + chain.stream().map(Throwable::getMessage)
                                .filter(m -> m != null && m.startsWith("Invalid duration")).findFirst()
                                .orElse(chain.get(chain.size() - 1).getMessage()) + ")."
                        + "\nGive it as 30s, 5m or 1h and start the portal again.");
            }
            if (t instanceof SQLException sql && unreachable(sql)) {
                return lines("the database does not answer: " + withCause(sql)
                        + "\nCheck DS01_DB_URL, DS01_DB_USER and DS01_DB_PASSWORD, or leave DS01_DB_URL unset for the "
                        + "built-in PostgreSQL.");
            }
            if (t instanceof SQLException sql && refusedLogin(sql)) {
                return lines("the database refused the portal's login: " + sql.getMessage()
                        + "\nCheck DS01_DB_USER and DS01_DB_PASSWORD.");
            }
            if (t instanceof PreventFurtherStepsException stop && stop.getMessage() != null) {
                return lines(stop.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The scheduler reads its intervals from configuration ({@code every = "${ds01.gpu.refresh:30s}"}) when it
     * starts and names only the annotation when one is not a duration; the key is in there.
     */
    private static Optional<String> scheduleKey(Throwable t) {
        if (!(t instanceof IllegalStateException) || t.getMessage() == null) {
            return Optional.empty();
        }
        Matcher which = SCHEDULE_ATTRIBUTE.matcher(t.getMessage());
        if (!which.lookingAt()) {
            return Optional.empty();
        }
        Matcher key = Pattern.compile("\\b" + which.group(1) + "=\"\\$\\{([a-z0-9.-]+)").matcher(t.getMessage());
        return key.find() ? Optional.of(key.group(1)) : Optional.empty();
    }

    private static final Pattern SCHEDULE_ATTRIBUTE = Pattern.compile("Invalid (every|delayed)\\(\\) expression");

    /** The environment variable SmallRye reads for a key: DS01_GPU_REFRESH for ds01.gpu.refresh. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** SQLSTATE class 08 is "connection exception": nothing answered, or not as PostgreSQL. */
    private static boolean unreachable(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** Class 28: invalid authorization; 3D000: no such database. */
    private static boolean refusedLogin(SQLException e) {
        return e.getSQLState() != null && (e.getSQLState().startsWith("28") || e.getSQLState().equals("3D000"));
    }

    /** PostgreSQL's driver says "The connection attempt failed." and keeps the reason (an unknown host) as cause. */
    private static String withCause(SQLException e) {
        Throwable cause = e.getCause();
        String message = String.valueOf(e.getMessage());
        if (cause == null || cause.getMessage() == null || message.contains(cause.getMessage())) {
            return message;
        }
        return message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
    }

    private static Optional<List<String>> lines(String message) {
        List<String> lines = new ArrayList<>(List.of(message.strip().split("\n")));
        lines.set(0, HEAD + lines.get(0));
        return Optional.of(lines);
    }

    /** The failure and its causes, outermost first; a cause that loops back ends the walk. */
    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
