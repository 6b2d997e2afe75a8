package ds01.identity;

import ds01.testing.LocalSso;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Single sign-on through a real OpenID provider, mapped onto host accounts; no host account, no entry. */
@QuarkusTest
@TestProfile(LocalSso.class)
class SsoSignInTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** Follows redirects by hand and fills in the provider's login (and consent) forms, as a person would. */
    private HttpResponse<String> signInThroughSso(HttpClient client, String login, String password) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/signin/sso?next=/account");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (int step = 0; step < 20; step++) {
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (next.getPort() == port && next.getPath().equals("/account")) {
                    return response;
                }
                response = client.send(HttpRequest.newBuilder(next).GET().build(), HttpResponse.BodyHandlers.ofString());
                continue;
            }
            if (status == 200 && response.uri().getPort() != port && response.body().contains("<form")) {
                response = submit(client, response, login, password);
                continue;
            }
            return response;
        }
        throw new AssertionError("too many steps; last: " + response.statusCode() + " " + response.uri());
    }

    private static HttpResponse<String> submit(HttpClient client, HttpResponse<String> page, String login,
            String password) throws Exception {
        String html = page.body();
        Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(html);
        assertThat(action.find()).as(html).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input([^>]*)>").matcher(html);
        while (input.find()) {
            Matcher name = Pattern.compile("name=\"([^\"]+)\"").matcher(input.group(1));
            Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(input.group(1));
            if (name.find()) {
                fields.put(name.group(1), value.find() ? value.group(1) : "");
            }
        }
        if (fields.containsKey("login")) {
            fields.put("login", login);
            fields.put("password", password);
        }
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(page.uri().resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void aLabAccountWithAHostAccountSignsIn() throws Exception {
        HttpClient client = browser();
        HttpResponse<String> landing = signInThroughSso(client, "alice-sso", "sso-test-password");
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(303);
        HttpResponse<String> account = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/account")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).contains("id=\"account-username\">ds01alice<")
                .containsPattern("Signed in with.*single sign-on");
    }

    @Test
    void theOidcSessionIsDroppedOnceThePortalSessionBegins() throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> landing = signInThroughSso(client, "alice-sso", "sso-test-password");
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(303);
        List<String> portalCookies = cookies.getCookieStore().get(URI.create("http://127.0.0.1:" + port + "/")).stream()
                .map(java.net.HttpCookie::getName).toList();
        assertThat(portalCookies).as("quarkus-oidc's session and state cookies are gone")
                .noneMatch(name -> name.startsWith("q_session") || name.startsWith("q_auth"));
        assertThat(portalCookies).contains(SessionCookie.NAME);
    }

    @Test
    void aLabAccountWithoutAHostAccountIsRefusedWithAClearPage() throws Exception {
        HttpClient client = browser();
        HttpResponse<String> refused = signInThroughSso(client, "ghost", "sso-test-password");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("nobody-here@lab.example").contains("has no account");
        HttpResponse<String> account = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/account")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(account.statusCode()).as("not let in").isEqualTo(302);
    }

    @Test
    void theSignInPageOffersSingleSignOn() throws Exception {
        HttpResponse<String> page = browser().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/signin")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("Sign in with the lab").contains("href=\"/signin/sso?next=");
    }
}
