package ds01.identity;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request carrying {@code Authorization: Bearer ds01_...}: a personal API token, not an OIDC bearer token. */
public class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String secret;

    public ApiTokenRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
