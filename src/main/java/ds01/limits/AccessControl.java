package ds01.limits;

import java.util.List;
import java.util.Optional;

/** {@code access_control:}: who is a portal admin, by name or by host group. */
public record AccessControl(List<String> adminUsers, Optional<String> adminGroup) {
    public static final AccessControl NONE = new AccessControl(List.of(), Optional.empty());

    public AccessControl {
        adminUsers = List.copyOf(adminUsers);
    }
}
