package ds01.identity;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real OpenID provider of testing/oidc (npm oidc-provider), started for the single sign-on tests. */
public class OidcProviderResource implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "ds01-test-secret";
    private Process process;

    @Override
    public Map<String, String> start() {
        Path dir = Path.of("testing/oidc").toAbsolutePath();
        if (!dir.resolve("node_modules/oidc-provider").toFile().isDirectory()) {
            throw new IllegalStateException("testing/oidc/node_modules is missing: run testing/run-tests.sh "
                    + "(it runs npm ci there)");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(dir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("OIDC_PORT", "0");
            builder.environment().put("OIDC_CLIENT_ID", "ds01-portal");
            builder.environment().put("OIDC_CLIENT_SECRET", SECRET);
            builder.environment().put("OIDC_ACCOUNTS", dir.resolve("test-accounts.json").toString());
            process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("OIDC provider listening at ")) {
                    String issuer = line.substring("OIDC provider listening at ".length()).strip();
                    Thread drain = new Thread(() -> out.lines().forEach(l -> System.out.println("[oidc] " + l)));
                    drain.setDaemon(true);
                    drain.start();
                    return Map.of("ds01.identity.oidc.enabled", "true",
                            "quarkus.oidc.auth-server-url", issuer,
                            "quarkus.oidc.client-id", "ds01-portal",
                            "quarkus.oidc.credentials.secret", SECRET,
                            "ds01.identity.oidc.strip-domain", "lab.example");
                }
            }
            throw new IllegalStateException("the OIDC provider exited before it was ready:\n" + seen);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the OIDC provider (is nodejs installed?)", e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
