package ds01.web;

/** What someone typed, quoted back in a refusal: cut short, so a pasted page cannot fill the message. */
public final class Quoted {

    static final int MAX = 40;

    private Quoted() {
    }

    /** {@code "value"}, or its first 40 characters and an ellipsis. */
    public static String of(String value) {
        return "\"" + (value.length() > MAX ? value.substring(0, MAX) + "..." : value) + "\"";
    }
}
