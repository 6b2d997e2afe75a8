package ds01.web;

import java.util.List;
import java.util.stream.Collectors;

/**
 * CSV as spreadsheets read it (RFC 4180: fields with a comma, quote or line break quoted, quotes doubled, CRLF
 * line ends). A field that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: audit details and container names are typed by users.
 */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv; charset=UTF-8";

    private Csv() {
    }

    public static String row(List<?> fields) {
        return fields.stream().map(f -> field(f == null ? "" : String.valueOf(f))).collect(Collectors.joining(","))
                + "\r\n";
    }

    public static String row(Object... fields) {
        return row(java.util.Arrays.asList(fields));
    }

    static String field(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !isNumber(value)
                ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static boolean isNumber(String value) {
        return value.matches("[-+]?\\d+(\\.\\d+)?");
    }

    /** {@code attachment; filename="..."} for a download. */
    public static String attachment(String filename) {
        return "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"";
    }
}
