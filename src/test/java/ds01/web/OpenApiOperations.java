package ds01.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** The operations the portal's OpenAPI document lists: what the hostile-input and isolation tests walk. */
final class OpenApiOperations {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    record Operation(String method, String path) {

        boolean changesState() {
            return !method.equals("GET");
        }

        boolean api() {
            return path.startsWith("/api/");
        }

        List<String> parameters() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAMETER.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        /** The path with each {parameter} replaced by what {@code value} gives for its name. */
        String fill(Function<String, String> value) {
            return PARAMETER.matcher(path).replaceAll(m -> Matcher.quoteReplacement(value.apply(m.group(1))));
        }
    }

    private OpenApiOperations() {
    }

    /** Every operation of the document, sign-in pages too, in path order. */
    static List<Operation> all() {
        return all(given());
    }

    /** The same, asked for with {@code request}'s credentials (the document is for signed-in users). */
    @SuppressWarnings("unchecked")
    static List<Operation> all(io.restassured.specification.RequestSpecification request) {
        Map<String, Map<String, Object>> paths = request.accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> operations.add(new Operation(m.toUpperCase(), path))));
        operations.sort(Comparator.comparing(Operation::path).thenComparing(Operation::method));
        return operations;
    }
}
