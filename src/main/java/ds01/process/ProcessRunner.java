package ds01.process;

/**
 * Runs a host process and waits for it, within its timeout. The seam every caller of a host program goes through,
 * so that each has the same timeout, output handling, privilege drop and error message.
 */
public interface ProcessRunner {

    /**
     * Runs {@code command} to its end. A non-zero exit is a result, not an error: callers decide which codes mean
     * failure ({@link ProcessResult#orThrow()} for "anything but 0").
     *
     * @throws ProcessFailedException when it cannot be started, or does not finish (output closed included) within
     *                                its timeout, in which case it has been killed with its process group
     */
    ProcessResult run(Command command);
}
