package ds01.process;

import java.time.Duration;

/**
 * How a process ended: its exit code, what it printed (each stream cut at the command's output limit, and said so)
 * and how long it ran.
 */
public record ProcessResult(Command command, int exitCode, String stdout, boolean stdoutCut, String stderr,
        boolean stderrCut, Duration duration) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * This result, when the process exited with 0.
     *
     * @throws ProcessFailedException naming the command, its exit code, how long it ran and the end of its stderr
     */
    public ProcessResult orThrow() {
        if (!succeeded()) {
            throw ProcessFailedException.exited(this);
        }
        return this;
    }

    /** The last lines of stderr (or of stdout when stderr is empty), for a message. */
    public String endOfErrors() {
        return ProcessFailedException.tail(stderr.isBlank() ? stdout : stderr, stderr.isBlank() ? stdoutCut : stderrCut);
    }
}
