package ds01.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test OpenID provider itself, without the portal: discovery, the authorization-code flow through its login
 * form (redirects followed by hand, cookies kept), the code exchanged with client_secret_basic, the ID token's claims.
 */
class OidcProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Nothing listens there: the flow stops at the redirect back to the client, as a browser's would reach it. */
    private static final String REDIRECT_URI = "http://127.0.0.1:18081/signin/sso";

    private static OidcProvider provider;
    private static JsonNode discovery;

    @BeforeAll
    static void start() throws Exception {
        provider = OidcProvider.start();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(provider.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        discovery = JSON.readTree(response.body());
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void discoveryNamesAnHttpLoopbackIssuerAndItsEndpoints() {
        assertThat(provider.issuer()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(discovery.path("issuer").asText()).isEqualTo(provider.issuer());
        assertThat(discovery.path("authorization_endpoint").asText()).startsWith(provider.issuer() + "/");
        assertThat(discovery.path("token_endpoint").asText()).startsWith(provider.issuer() + "/");
        assertThat(discovery.path("jwks_uri").asText()).startsWith(provider.issuer() + "/");
        assertThat(discovery.path("claims_supported").toString()).contains("preferred_username", "email", "name");
    }

    @Test
    void theCodeFlowSignsAliceInAndHerIdTokenNamesHer() throws Exception {
        String nonce = UUID.randomUUID().toString();
        String state = UUID.randomUUID().toString();
        Map<String, String> callback = authorize(browser(), REDIRECT_URI, state, nonce, "alice-sso", OidcProvider.PASSWORD);
        assertThat(callback).containsEntry("state", state).containsKey("code");

        HttpResponse<String> tokens = exchange(callback.get("code"), REDIRECT_URI, OidcProvider.SECRET);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(tokens.body());
        assertThat(body.path("access_token").asText()).isNotEmpty();
        JsonNode idToken = payload(body.path("id_token").asText());
        assertThat(idToken.path("iss").asText()).isEqualTo(provider.issuer());
        assertThat(idToken.path("aud").asText()).isEqualTo(OidcProvider.CLIENT_ID);
        assertThat(idToken.path("sub").asText()).isEqualTo("alice-sso");
        assertThat(idToken.path("nonce").asText()).isEqualTo(nonce);
        assertThat(idToken.path("preferred_username").asText()).isEqualTo("ds01alice@lab.example");
        assertThat(idToken.path("email").asText()).isEqualTo("alice@lab.example");
        assertThat(idToken.path("name").asText()).isEqualTo("Alice Test");
    }

    @Test
    void anyLoopbackPortIsAcceptedInTheRedirectUriButNotAnotherHostOrPath() throws Exception {
        String state = UUID.randomUUID().toString();
        assertThat(authorize(browser(), "http://localhost:39999/signin/sso", state, "n", "ghost", OidcProvider.PASSWORD))
                .containsEntry("state", state);
        for (String refused : new String[] {"http://portal.example/signin/sso", "http://127.0.0.1:18081/elsewhere"}) {
            HttpResponse<String> response = browser().send(HttpRequest.newBuilder(authorizationUri(refused, "s", "n"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(refused).isEqualTo(400);
            assertThat(response.body()).as(refused).contains("redirect_uri");
        }
    }

    @Test
    void aWrongPasswordShowsTheFormAgain() throws Exception {
        HttpClient client = browser();
        HttpResponse<String> form = follow(client, get(client, authorizationUri(REDIRECT_URI, "s", "n")), REDIRECT_URI);
        assertThat(form.statusCode()).isEqualTo(200);
        HttpResponse<String> refused = submitLogin(client, form, "alice-sso", "not-her-password");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("wrong login or password").contains("name=\"login\"");
        HttpResponse<String> unknown = submitLogin(client, form, "nobody", OidcProvider.PASSWORD);
        assertThat(unknown.statusCode()).isEqualTo(403);
    }

    @Test
    void theCodeIsNotExchangedWithAWrongSecretNorTwice() throws Exception {
        Map<String, String> callback = authorize(browser(), REDIRECT_URI, "s", "n", "alice-sso", OidcProvider.PASSWORD);
        assertThat(exchange(callback.get("code"), REDIRECT_URI, "wrong-secret").statusCode()).isEqualTo(401);
        Map<String, String> again = authorize(browser(), REDIRECT_URI, "s", "n", "alice-sso", OidcProvider.PASSWORD);
        assertThat(exchange(again.get("code"), REDIRECT_URI, OidcProvider.SECRET).statusCode()).isEqualTo(200);
        assertThat(exchange(again.get("code"), REDIRECT_URI, OidcProvider.SECRET).statusCode()).isEqualTo(400);
    }

    // --- a browser, by hand ------------------------------------------------------------------

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static URI authorizationUri(String redirectUri, String state, String nonce) {
        return URI.create(discovery.path("authorization_endpoint").asText() + "?" + form(Map.of(
                "client_id", OidcProvider.CLIENT_ID, "response_type", "code", "scope", "openid profile email",
                "redirect_uri", redirectUri, "state", state, "nonce", nonce)));
    }

    /** Runs the flow up to the redirect back to {@code redirectUri}; returns that redirect's query parameters. */
    private static Map<String, String> authorize(HttpClient client, String redirectUri, String state, String nonce,
            String login, String password) throws Exception {
        HttpResponse<String> response = follow(client, get(client, authorizationUri(redirectUri, state, nonce)), redirectUri);
        if (response.statusCode() == 200) {
            response = follow(client, submitLogin(client, response, login, password), redirectUri);
        }
        String location = response.headers().firstValue("Location").orElse("");
        assertThat(location).as("%s %s%n%s", response.statusCode(), response.uri(), response.body()).startsWith(redirectUri + "?");
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }

    /** Follows redirects within the provider; stops at a page, or at the redirect back to the client. */
    private static HttpResponse<String> follow(HttpClient client, HttpResponse<String> response, String redirectUri)
            throws Exception {
        for (int step = 0; step < 10; step++) {
            if (response.statusCode() < 300 || response.statusCode() >= 400) {
                return response;
            }
            URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
            if (next.toString().startsWith(redirectUri)) {
                return response;
            }
            response = get(client, next);
        }
        throw new AssertionError("too many redirects; last: " + response.uri());
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> submitLogin(HttpClient client, HttpResponse<String> page, String login,
            String password) throws Exception {
        Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(action.find()).as(page.body()).isTrue();
        assertThat(page.body()).contains("name=\"login\"").contains("name=\"password\"");
        return client.send(HttpRequest.newBuilder(page.uri().resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("login", login, "password", password)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> exchange(String code, String redirectUri, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((OidcProvider.CLIENT_ID + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(discovery.path("token_endpoint").asText()))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", redirectUri)))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The claims of a JWT, unverified: its middle part, base64url-decoded. */
    private static JsonNode payload(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    private static String form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
