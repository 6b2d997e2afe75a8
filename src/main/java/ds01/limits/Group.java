package ds01.limits;

import java.util.List;

/** A group of {@code groups:}: who is listed in it, the limits it sets, and its idle-detection policies. */
public record Group(String name, List<String> members, LimitLayer limits, LimitLayer policies) {
    public Group {
        members = List.copyOf(members);
    }
}
