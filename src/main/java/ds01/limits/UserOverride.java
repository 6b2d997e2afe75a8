package ds01.limits;

import java.util.Optional;

/**
 * One entry of {@code user_overrides:}. {@code group} pins the user to a group whatever the
 * {@code members} lists say (DS01 kept such pins in group-overrides.txt).
 */
public record UserOverride(String username, Optional<String> group, LimitLayer limits,
        Optional<Reservation> reservation) {
}
