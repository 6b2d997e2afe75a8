package ds01.events;

/** Who caused a state change. Policies are named (e.g. "idle-timeout"), so the log says which rule acted. */
public record Actor(String kind, String name) {

    public Actor {
        if (!kind.equals("user") && !kind.equals("policy") && !kind.equals("system")) {
            throw new IllegalArgumentException("actor kind must be user, policy or system, not " + kind);
        }
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("actor name must be 1-64 characters");
        }
    }

    public static Actor user(String username) {
        return new Actor("user", username);
    }

    public static Actor policy(String policy) {
        return new Actor("policy", policy);
    }

    /** The portal itself, e.g. reloading the limits file or the reconciler at start. */
    public static Actor system(String part) {
        return new Actor("system", part);
    }
}
