package ds01.web;

/** What a user typed, fit to quote in a message: control characters (a pasted newline) as escapes, long text cut. */
public final class Printable {

    private Printable() {
    }

    public static String of(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(120).forEach(c -> out.append(Character.isISOControl(c)
                ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return text.length() > 120 ? out + "…" : out.toString();
    }
}
