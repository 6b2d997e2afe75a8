package ds01.process;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A process could not be started, did not finish within its timeout (and was killed with its whole process group),
 * or exited with a code its caller does not accept. The message says what ran, how long it took or was given, the
 * exit code and the end of what it wrote on stderr.
 */
public class ProcessFailedException extends RuntimeException {

    /** How much of the end of stderr a message carries. */
    static final int TAIL_CHARACTERS = 1000;

    private final Command command;
    private final boolean timedOut;
    private final OptionalInt exitCode;
    private final Duration duration;
    private final String endOfErrors;

    ProcessFailedException(String message, Command command, boolean timedOut, OptionalInt exitCode, Duration duration,
            String endOfErrors, Throwable cause) {
        super(message, cause);
        this.command = command;
        this.timedOut = timedOut;
        this.exitCode = exitCode;
        this.duration = duration;
        this.endOfErrors = endOfErrors;
    }

    static ProcessFailedException notStarted(Command command, String reason, Throwable cause) {
        return new ProcessFailedException("could not run " + command.name() + " (" + command + "): " + reason, command,
                false, OptionalInt.empty(), Duration.ZERO, "", cause);
    }

    static ProcessFailedException timedOut(Command command, Duration ran, String endOfErrors) {
        return new ProcessFailedException(command.name() + " did not answer within " + describe(command.timeout())
                + " (" + command + ", stopped with its process group after " + describe(ran) + ")"
                + (endOfErrors.isBlank() ? "" : ": " + endOfErrors), command, true, OptionalInt.empty(), ran,
                endOfErrors, null);
    }

    static ProcessFailedException exited(ProcessResult result) {
        String end = result.endOfErrors();
        return new ProcessFailedException(result.command().name() + " failed with exit code " + result.exitCode()
                + " after " + describe(result.duration()) + " (" + result.command() + ")"
                + (end.isBlank() ? "" : ": " + end), result.command(), false, OptionalInt.of(result.exitCode()),
                result.duration(), end, null);
    }

    static ProcessFailedException interrupted(Command command, Duration ran, InterruptedException cause) {
        return new ProcessFailedException("interrupted while waiting for " + command.name() + " (" + command
                + "), which was stopped after " + describe(ran), command, false, OptionalInt.empty(), ran, "", cause);
    }

    public Command command() {
        return command;
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** The exit code, when the process exited by itself. */
    public OptionalInt exitCode() {
        return exitCode;
    }

    public Duration duration() {
        return duration;
    }

    public String endOfErrors() {
        return endOfErrors;
    }

    /** A duration as a person reads it: {@code 10 s}, {@code 250 ms}, {@code 1.5 s}, {@code 2 min}. */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0 || millis >= 60_000) {
            return millis / 1000 + " s";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String tail(String text, boolean cut) {
        String stripped = text.strip();
        if (stripped.length() <= TAIL_CHARACTERS) {
            return stripped + (cut ? " [output cut]" : "");
        }
        return "..." + stripped.substring(stripped.length() - TAIL_CHARACTERS) + (cut ? " [output cut]" : "");
    }
}
