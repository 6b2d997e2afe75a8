package ds01.pages;

import ds01.identity.SignedIn;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The getting-started page: the home page points here until every step is done. */
@Path("/welcome")
@Produces(MediaType.TEXT_HTML)
public class OnboardingResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance welcome(Onboarding.Checklist checklist);
    }

    private final Onboarding onboarding;
    private final SignedIn signedIn;

    public OnboardingResource(Onboarding onboarding, SignedIn signedIn) {
        this.onboarding = onboarding;
        this.signedIn = signedIn;
    }

    @GET
    public TemplateInstance page() {
        return Templates.welcome(onboarding.of(signedIn.account()));
    }
}
