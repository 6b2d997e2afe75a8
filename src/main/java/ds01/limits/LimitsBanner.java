package ds01.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The banner every page carries while the limits file on disk is refused, so admins see at once that
 * their edit did not take effect. Sign-in arrives with the identity feature; until then everyone sees it.
 */
@ApplicationScoped
@Named("limitsBanner")
public class LimitsBanner {

    private final LimitsService limits;

    public LimitsBanner(LimitsService limits) {
        this.limits = limits;
    }

    public boolean getVisible() {
        return limits.reloadError().isPresent();
    }

    public String getMessage() {
        return limits.reloadError().map(ReloadError::message).orElse("");
    }
}
