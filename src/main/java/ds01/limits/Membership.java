package ds01.limits;

import java.util.Optional;

/** The group whose limits apply to a user, and why, in words an admin can check against the file. */
public record Membership(Optional<String> group, String reason) {
}
