package ds01.pages;

import ds01.gpu.GpuQuotas;
import ds01.identity.SignedIn;
import ds01.web.PortalStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The dashboard and the human-readable status page. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(List<PortalStatus.Check> checks, GpuQuotas.MyGpus gpus,
                Onboarding.Checklist onboarding);

        static native TemplateInstance status(List<PortalStatus.Check> checks);
    }

    private final PortalStatus portalStatus;
    private final GpuQuotas gpuQuotas;
    private final SecurityIdentity identity;
    private final Onboarding onboarding;
    private final SignedIn signedIn;

    public HomeResource(PortalStatus portalStatus, GpuQuotas gpuQuotas, SecurityIdentity identity,
            Onboarding onboarding, SignedIn signedIn) {
        this.portalStatus = portalStatus;
        this.gpuQuotas = gpuQuotas;
        this.identity = identity;
        this.onboarding = onboarding;
        this.signedIn = signedIn;
    }

    /** The dashboard: the portal's state, then the signed-in user's GPUs, quota and queue. */
    @GET
    public TemplateInstance home() {
        return Templates.home(portalStatus.checks(), gpuQuotas.of(identity.getPrincipal().getName()),
                signedIn.accountIfAny().map(onboarding::of).orElse(null));
    }

    @GET
    @Path("status")
    public TemplateInstance status() {
        portalStatus.refresh();
        return Templates.status(portalStatus.checks());
    }
}
