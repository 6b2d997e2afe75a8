package ds01.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real OpenID provider of testing/oidc (npm oidc-provider, run with {@code node provider.mjs}) on a free loopback
 * port, with plain http. One confidential client ({@link #CLIENT_ID}, {@link #SECRET}) whose redirect URIs are
 * {@code http://127.0.0.1/signin/sso} and {@code http://localhost/signin/sso} on any port, and the accounts of
 * testing/oidc/test-accounts.json (login and password there, e.g. {@code alice-sso} / {@link #PASSWORD}).
 * Its login page is a form with inputs {@code login} and {@code password}.
 */
public final class OidcProvider implements AutoCloseable {

    public static final String CLIENT_ID = "ds01-portal";
    public static final String SECRET = "ds01-test-secret";
    /** The password of every account in testing/oidc/test-accounts.json. */
    public static final String PASSWORD = "sso-test-password";
    static final String READY = "OIDC provider listening at ";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String issuer;

    private OidcProvider(Process process, String issuer) {
        this.process = process;
        this.issuer = issuer;
    }

    /** Starts the provider with the shipped test accounts. */
    public static OidcProvider start() {
        return start(Map.of());
    }

    /**
     * Starts the provider; {@code environment} adds to or overrides its settings (OIDC_REDIRECT_URIS,
     * OIDC_ACCOUNTS, OIDC_ACCOUNTS_JSON, OIDC_CLIENT_SECRET, ...: see testing/oidc/provider.mjs).
     */
    public static OidcProvider start(Map<String, String> environment) {
        Path dir = directory();
        if (!Files.isDirectory(dir.resolve("node_modules/oidc-provider"))) {
            throw new IllegalStateException(dir.resolve("node_modules") + " is missing: run testing/run-tests.sh "
                    + "(it runs npm ci there) or `npm ci` in testing/oidc");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OIDC_PORT", "0");
        env.put("OIDC_CLIENT_ID", CLIENT_ID);
        env.put("OIDC_CLIENT_SECRET", SECRET);
        env.put("OIDC_ACCOUNTS", dir.resolve("test-accounts.json").toString());
        env.putAll(environment);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(dir.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OIDC provider (is nodejs installed?)", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith(READY)) {
                        return line.substring(READY.length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String issuer;
        try {
            issuer = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while the OIDC provider started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the OIDC provider was not ready within " + START_TIMEOUT + ":\n" + seen, e);
        }
        if (issuer == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the OIDC provider exited before it was ready:\n" + seen);
        }
        // keep reading its output, so it never blocks on a full pipe; errors show in the test log
        Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("[oidc] " + l)), "oidc-provider-log");
        drain.setDaemon(true);
        drain.start();
        return new OidcProvider(process, issuer);
    }

    /** testing/oidc, found from the working directory (Maven runs tests in the repository root). */
    static Path directory() {
        return Path.of("testing/oidc").toAbsolutePath();
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash: the issuer and quarkus.oidc.auth-server-url. */
    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return CLIENT_ID;
    }

    public String clientSecret() {
        return SECRET;
    }

    /** The settings that point the portal's single sign-on at this provider. */
    public Map<String, String> portalConfig() {
        return Map.of("ds01.identity.oidc.enabled", "true",
                "quarkus.oidc.auth-server-url", issuer,
                "quarkus.oidc.client-id", CLIENT_ID,
                "quarkus.oidc.credentials.secret", SECRET,
                "ds01.identity.oidc.strip-domain", "lab.example");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
