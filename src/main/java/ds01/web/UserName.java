package ds01.web;

import java.util.regex.Pattern;

/**
 * The grammar of a host account name, as useradd's default NAME_REGEX has it. Checked wherever a
 * name enters the portal (the limits file, URLs) so nothing else has to wonder.
 */
public final class UserName {

    public static final Pattern GRAMMAR = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    public static final String DESCRIPTION =
            "a user name (a lower-case letter or _, then up to 31 lower-case letters, digits, _ or -)";

    private UserName() {
    }

    public static boolean isValid(String name) {
        return name != null && GRAMMAR.matcher(name).matches();
    }
}
