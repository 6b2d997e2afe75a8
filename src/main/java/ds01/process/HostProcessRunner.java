package ds01.process;

import com.sun.security.auth.module.UnixSystem;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs processes on this host. Each starts in a session and process group of its own ({@code setsid}), so that at
 * its timeout everything it started goes with it: a hung tool's children that keep its output open would otherwise
 * keep the portal waiting for the end of that output. stdout and stderr are read by threads of their own while the
 * process runs (neither can fill up and stall it), and stdin is written by a third, so the timeout holds whatever
 * the process does with its pipes.
 *
 * <p>A CDI bean for the portal; code that runs before CDI (the built-in PostgreSQL, started while the configuration
 * is read) makes one with {@code new}.
 */
@ApplicationScoped
public class HostProcessRunner implements ProcessRunner {

    private static final Logger LOG = Logger.getLogger(HostProcessRunner.class);
    /** How long a killed process group gets to die and its pipes to close before the runner stops waiting. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private final long portalUid;

    public HostProcessRunner() {
        this.portalUid = new UnixSystem().getUid();
    }

    @Override
    public ProcessResult run(Command command) {
        List<String> argv = new ArrayList<>();
        // a new session makes the process the leader of its own group, whose id is its pid: kill(-pid) reaches all
        argv.add("setsid");
        argv.addAll(privilegeDrop(command));
        argv.addAll(command.argv());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(command.environment());
        command.directory().ifPresent(dir -> builder.directory(dir.toFile()));

        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw ProcessFailedException.notStarted(command, e.getMessage(), e);
        }
        Capture stdout = new Capture(process.getInputStream(), command.outputLimit());
        Capture stderr = new Capture(process.getErrorStream(), command.outputLimit());
        Thread outReader = daemon(stdout, command.name() + "-stdout");
        Thread errReader = daemon(stderr, command.name() + "-stderr");
        feed(process, command);

        long deadline = started + command.timeout().toNanos();
        try {
            boolean exited = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // the output must close too: a child the process left behind may hold it open after the process exits
            if (exited) {
                joinUntil(outReader, deadline);
                joinUntil(errReader, deadline);
            }
            if (!exited || outReader.isAlive() || errReader.isAlive()) {
                killGroup(process);
                Duration ran = since(started);
                awaitEnd(process, outReader, errReader);
                LOG.warnf("%s did not answer within %s; killed its process group (%s)", command.name(),
                        ProcessFailedException.describe(command.timeout()), command);
                throw ProcessFailedException.timedOut(command, ran, ProcessFailedException.tail(stderr.text(),
                        stderr.cut()));
            }
        } catch (InterruptedException e) {
            killGroup(process);
            Thread.currentThread().interrupt();
            throw ProcessFailedException.interrupted(command, since(started), e);
        }
        ProcessResult result = new ProcessResult(command, process.exitValue(), stdout.text(), stdout.cut(),
                stderr.text(), stderr.cut(), since(started));
        if (couldNotExecute(result)) {
            // setsid and setpriv report a program they cannot execute with 126/127 and these words
            throw ProcessFailedException.notStarted(command, result.stderr().strip(), null);
        }
        return result;
    }

    private List<String> privilegeDrop(Command command) {
        if (command.runAs().isEmpty()) {
            return List.of();
        }
        RunAs account = command.runAs().get();
        if (portalUid == 0) {
            return account.setpriv();
        }
        if (account.uid().isPresent() && account.uid().getAsInt() == portalUid) {
            return List.of();
        }
        throw ProcessFailedException.notStarted(command, "the portal runs as uid " + portalUid
                + ", not as root, and cannot run it as " + account + "; run the portal as root (see the README's "
                + "Deploy section)", null);
    }

    private static boolean couldNotExecute(ProcessResult result) {
        String err = result.stderr();
        return (result.exitCode() == 126 || result.exitCode() == 127)
                && (err.startsWith("setsid: failed to execute") || err.startsWith("setpriv: failed to execute"));
    }

    /** Writes stdin on its own thread: a process that does not read it must not keep the caller from its timeout. */
    private static void feed(Process process, Command command) {
        OutputStream in = process.getOutputStream();
        if (command.stdin().length == 0) {
            closeQuietly(in, command);
            return;
        }
        daemon(() -> {
            try (in) {
                in.write(command.stdin());
            } catch (IOException e) {
                // the process closed its stdin early (it exited, or read all it wanted): its exit code tells the rest
                LOG.debugf("%s did not read all of its input: %s", command.name(), e.getMessage());
            }
        }, command.name() + "-stdin");
    }

    private static void closeQuietly(OutputStream in, Command command) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debugf("closing the input of %s: %s", command.name(), e.getMessage());
        }
    }

    /**
     * Kills the process's group (everything it started that stayed in it) and every descendant still attached to it
     * (one that made a group of its own). The descendants are listed first: once the process is gone its children
     * are no longer known as its descendants.
     */
    private static void killGroup(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                LOG.warnf("kill of process group %d did not finish within %s", process.pid(), AFTER_KILL);
            }
        } catch (IOException e) {
            LOG.warnf("could not kill process group %d (%s); killing its processes one by one", process.pid(),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void awaitEnd(Process process, Thread outReader, Thread errReader) throws InterruptedException {
        long deadline = System.nanoTime() + AFTER_KILL.toNanos();
        if (!process.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("process %d is still there %s after it was killed", process.pid(), AFTER_KILL);
        }
        // a process that left the group and the tree (double fork) may still hold a pipe: its reader is abandoned
        joinUntil(outReader, deadline);
        joinUntil(errReader, deadline);
    }

    private static void joinUntil(Thread thread, long deadlineNanos) throws InterruptedException {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (millis > 0) {
            thread.join(millis);
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, "process-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One output stream, read to its end; the first {@code limit} bytes are kept, the rest counted and dropped. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;

        Capture(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    synchronized (this) {
                        int room = limit - kept.size();
                        if (room > 0) {
                            kept.write(buffer, 0, Math.min(n, room));
                        }
                        total += n;
                    }
                }
            } catch (IOException e) {
                // the stream was closed under the reader after a kill; what was read so far is what there is
                LOG.debugf("output stream ended: %s", e.getMessage());
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean cut() {
            return total > kept.size();
        }
    }
}
