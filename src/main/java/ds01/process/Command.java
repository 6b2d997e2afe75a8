package ds01.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process to run: its arguments (never a shell line), what to call it in messages, and how long it may take.
 * Immutable; the {@code with...} methods return a changed copy.
 *
 * @param argv        the program and its arguments
 * @param name        what messages call it ("nvidia-smi", "initdb"); by default the program's file name
 * @param timeout     how long it may run, its output included: at the end of it the whole process group is killed
 * @param runAs       the account it runs as, when not the portal's own
 * @param stdin       what it reads on standard input (closed at the end)
 * @param environment variables added to the portal's environment
 * @param directory   its working directory, when not the portal's
 * @param outputLimit how many bytes of stdout and of stderr are kept each; the rest is read and dropped
 */
public record Command(List<String> argv, String name, Duration timeout, Optional<RunAs> runAs, byte[] stdin,
        Map<String, String> environment, Optional<Path> directory, int outputLimit) {

    /** 4 MiB: more than nvidia-smi -q -x prints for an 8-GPU server with its processes. */
    public static final int DEFAULT_OUTPUT_LIMIT = 4 * 1024 * 1024;

    public Command {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("a command needs a program to run");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a command needs a positive timeout, not " + timeout);
        }
        if (outputLimit < 0) {
            throw new IllegalArgumentException("output limit must not be negative");
        }
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    public static Command of(Duration timeout, List<String> argv) {
        String program = argv.isEmpty() ? "" : argv.get(0);
        Path file = program.isBlank() ? null : Path.of(program).getFileName();
        return new Command(argv, file == null ? program : file.toString(), timeout, Optional.empty(), new byte[0],
                Map.of(), Optional.empty(), DEFAULT_OUTPUT_LIMIT);
    }

    public static Command of(Duration timeout, String... argv) {
        return of(timeout, List.of(argv));
    }

    public Command named(String newName) {
        return new Command(argv, newName, timeout, runAs, stdin, environment, directory, outputLimit);
    }

    public Command as(RunAs account) {
        return new Command(argv, name, timeout, Optional.of(account), stdin, environment, directory, outputLimit);
    }

    public Command as(Optional<RunAs> account) {
        return new Command(argv, name, timeout, account, stdin, environment, directory, outputLimit);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, name, timeout, runAs, input.clone(), environment, directory, outputLimit);
    }

    public Command withStdin(String input) {
        return withStdin(input.getBytes(StandardCharsets.UTF_8));
    }

    public Command withEnvironment(String variable, String value) {
        Map<String, String> more = new LinkedHashMap<>(environment);
        more.put(variable, value);
        return new Command(argv, name, timeout, runAs, stdin, more, directory, outputLimit);
    }

    public Command in(Path workingDirectory) {
        return new Command(argv, name, timeout, runAs, stdin, environment, Optional.of(workingDirectory), outputLimit);
    }

    public Command keepingOutputUpTo(int bytes) {
        return new Command(argv, name, timeout, runAs, stdin, environment, directory, bytes);
    }

    /** The arguments as a person would type them, for messages (never run through a shell). */
    public String commandLine() {
        List<String> shown = new ArrayList<>();
        for (String arg : argv) {
            shown.add(arg.isEmpty() || arg.matches(".*[\\s'\"\\\\$`].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg);
        }
        return String.join(" ", shown);
    }

    // arrays compare by identity in records; a command is compared by what it would do
    @Override
    public boolean equals(Object other) {
        return other instanceof Command c && argv.equals(c.argv) && name.equals(c.name) && timeout.equals(c.timeout)
                && runAs.equals(c.runAs) && java.util.Arrays.equals(stdin, c.stdin)
                && environment.equals(c.environment) && directory.equals(c.directory) && outputLimit == c.outputLimit;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(argv, name, timeout, runAs, java.util.Arrays.hashCode(stdin), environment,
                directory, outputLimit);
    }

    @Override
    public String toString() {
        return commandLine() + runAs.map(a -> " as " + a).orElse("");
    }
}
