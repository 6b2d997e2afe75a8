package ds01.database;

import ds01.process.Command;
import ds01.process.HostProcessRunner;
import ds01.process.ProcessFailedException;
import ds01.process.ProcessResult;
import ds01.process.ProcessRunner;
import ds01.process.RunAs;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in PostgreSQL server the portal uses when no database is configured: zonky's PostgreSQL
 * binaries, run from a data directory that survives restarts.
 *
 * <p>zonky's own {@code EmbeddedPostgres} launcher cannot be used because it runs {@code initdb} and
 * {@code postgres} as the JVM's user, and PostgreSQL refuses to run as root, which is how the portal runs
 * on a lab server (it needs root to create workspaces owned by their users). This launcher runs them
 * through {@code setpriv} as an unprivileged system account when the JVM is root. It starts before CDI (while the
 * configuration is read), so it makes its own {@link HostProcessRunner}. It also protects the
 * server with a random password: on a shared server every user can reach 127.0.0.1.
 */
public final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "ds01";
    public static final String DATABASE = "ds01";

    private final Path binaries;
    private final Path dataDirectory;
    private final Path passwordFile;
    private final String systemUser;
    private final int port;
    private final String password;
    private final ProcessRunner processes;

    private EmbeddedPostgres(Path binaries, Path dataDirectory, Path passwordFile, String systemUser, int port,
            String password, ProcessRunner processes) {
        this.processes = processes;
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.passwordFile = passwordFile;
        this.systemUser = systemUser;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts a server whose cluster lives in {@code <home>/postgres}, creating the cluster on first use.
     *
     * @param home       the portal's data directory ({@code DS01_DATA_DIR})
     * @param systemUser the account PostgreSQL runs as when the portal runs as root
     */
    public static EmbeddedPostgres start(Path home, String systemUser) {
        return start(home, systemUser, new HostProcessRunner());
    }

    static EmbeddedPostgres start(Path home, String systemUser, ProcessRunner processes) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absoluteHome);
            boolean root = RunningUser.isRoot();
            if (root) {
                SystemAccount.ensure(systemUser, processes);
            }
            Path binaries = Binaries.unpack(absoluteHome.resolve("postgres-bin"));
            Path data = absoluteHome.resolve("postgres");
            Path passwordFile = absoluteHome.resolve("postgres.password");
            String password = readOrCreatePassword(passwordFile);
            EmbeddedPostgres server = new EmbeddedPostgres(binaries, data, passwordFile, root ? systemUser : null,
                    freePort(), password, processes);
            if (root) {
                server.checkReachable(absoluteHome);
            }
            server.initialiseIfNeeded(root);
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("could not prepare the built-in PostgreSQL under " + absoluteHome
                    + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return port;
    }

    public void stop() {
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop"),
                    Duration.ofSeconds(30));
        } catch (EmbeddedDatabaseException e) {
            LOG.warnf("the built-in PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }

    private void checkReachable(Path home) {
        try {
            run(List.of("/usr/bin/test", "-x", home.toString(), "-a", "-x", bin("postgres")), Duration.ofSeconds(10));
        } catch (EmbeddedDatabaseException e) {
            throw new EmbeddedDatabaseException("the built-in PostgreSQL runs as system account '" + systemUser
                    + "', which cannot reach " + home + ": let it traverse the parent directories (chmod o+x on "
                    + "each) or set DS01_DATA_DIR to a directory such as /var/lib/ds01", e);
        }
    }

    private void initialiseIfNeeded(boolean root) throws IOException {
        if (Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            if (root) {
                chown(dataDirectory);
            }
            return;
        }
        Files.createDirectories(dataDirectory);
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
        // initdb reads the superuser's password from a file; it must be readable by the account that runs it
        Path pwfile = dataDirectory.getParent().resolve(".initdb-password");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        try {
            if (root) {
                chown(dataDirectory);
                chown(pwfile);
            }
            LOG.infof("creating the built-in PostgreSQL cluster in %s", dataDirectory);
            run(List.of(bin("initdb"), "-D", dataDirectory.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "-E", "UTF-8", "--locale=C"), Duration.ofMinutes(2));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    private void startServer() {
        stopLeftoverServer();
        Path logFile = dataDirectory.resolve("server.log");
        // listen on loopback only and keep the unix socket inside the data directory, where only its owner can reach it
        String options = "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories="
                + dataDirectory;
        run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "-l", logFile.toString(), "-o", options, "-w",
                "-t", "60", "start"), Duration.ofSeconds(90));
        createPortalDatabase();
    }

    /**
     * pg_ctl daemonises the server, so a portal that was killed leaves it running; the data directory
     * belongs to this portal alone, so stop the leftover rather than refuse to start.
     */
    private void stopLeftoverServer() {
        if (!attempt(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "status"), Duration.ofSeconds(10))
                .succeeded()) {
            return;
        }
        LOG.warnf("a built-in PostgreSQL from an earlier run was still running in %s; stopping it", dataDirectory);
        run(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop"),
                Duration.ofSeconds(60));
    }

    private void createPortalDatabase() {
        String postgres = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(postgres, SUPERUSER, password);
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("the built-in PostgreSQL started but database '" + DATABASE
                    + "' could not be created: " + e.getMessage(), e);
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    /** Runs a PostgreSQL program as the database's account; it must exit with 0. */
    private void run(List<String> command, Duration timeout) {
        try {
            processes.run(asDatabase(command, timeout)).orThrow();
        } catch (ProcessFailedException e) {
            throw new EmbeddedDatabaseException(e.getMessage(), e);
        }
    }

    /** Runs a PostgreSQL program as the database's account; any exit code is an answer. */
    private ProcessResult attempt(List<String> command, Duration timeout) {
        try {
            return processes.run(asDatabase(command, timeout));
        } catch (ProcessFailedException e) {
            throw new EmbeddedDatabaseException(e.getMessage(), e);
        }
    }

    private Command asDatabase(List<String> command, Duration timeout) {
        return Command.of(timeout, command).as(Optional.ofNullable(systemUser).map(RunAs::account))
                .withEnvironment("PGPASSWORD", password).withEnvironment("LC_ALL", "C");
    }

    /** Gives a path to the database's account; runs as root, the portal's own rights. */
    private void chown(Path path) {
        try {
            ProcessResult result = processes.run(Command.of(Duration.ofMinutes(2), "chown", "-R", systemUser + ":",
                    path.toString()));
            if (!result.succeeded()) {
                throw new EmbeddedDatabaseException("could not give " + path + " to " + systemUser + ": "
                        + result.endOfErrors(), null);
            }
        } catch (ProcessFailedException e) {
            throw new EmbeddedDatabaseException("could not give " + path + " to " + systemUser + ": "
                    + e.getMessage(), e);
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password, StandardCharsets.UTF_8);
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The PostgreSQL distribution shipped in zonky's binaries jar, unpacked once per version. */
    static final class Binaries {
        private Binaries() {
        }

        static Path unpack(Path parent) throws IOException {
            try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
                byte[] bytes = archive.readAllBytes();
                String digest = HexFormat.of().formatHex(sha256(bytes)).substring(0, 16);
                Path target = parent.resolve(digest);
                if (Files.exists(target.resolve(".complete"))) {
                    return target;
                }
                Files.createDirectories(parent);
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path staging = Files.createTempDirectory(parent, "unpack-");
                extract(bytes, staging);
                Files.writeString(staging.resolve(".complete"), digest);
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    if (!Files.exists(target.resolve(".complete"))) {
                        throw raced;
                    }
                }
                return target;
            }
        }

        private static void extract(byte[] txz, Path target) throws IOException {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new java.io.ByteArrayInputStream(txz)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = target.resolve(entry.getName()).normalize();
                    if (!out.startsWith(target)) {
                        throw new IOException("archive entry escapes the target directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        boolean executable = (entry.getMode() & 0100) != 0;
                        Files.setPosixFilePermissions(out, executable
                                ? Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
                                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                                        PosixFilePermission.OTHERS_EXECUTE)
                                : PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            try (var dirs = Files.walk(target)) {
                for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }
    }
}
