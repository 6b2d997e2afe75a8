package ds01;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of the portal, the living version of the README's "Layout" table: which package may use
 * which. A new arrow between packages fails here until this table (and the README) says it is meant.
 */
class ArchitectureTest {

    // ArchUnit's core library with plain JUnit tests: archunit-junit5's own test engine does not run on the
    // JUnit 6 platform Quarkus 3.33 brings
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("ds01");

    /**
     * Shared parts every feature may use. Each uses no feature, only the shared parts named beside it: the web
     * package's error pages tell a database outage from a bug; the built-in database runs its tools as processes.
     */
    static final Map<String, Set<String>> SHARED = Map.of(
            "process", Set.of(),
            "nodes", Set.of(),
            "engine", Set.of(),
            "database", Set.of("process"),
            "web", Set.of("database"));

    /**
     * The feature packages, lowest first, and the features each may use (besides every shared part). Limits is
     * read by everyone and uses no feature; the audit log records limits reloads; identity takes its admins from
     * the limits file; the rest build on those.
     */
    static final Map<String, Set<String>> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put("limits", Set.of());
        FEATURES.put("events", Set.of("limits"));
        FEATURES.put("identity", Set.of("events", "limits"));
        FEATURES.put("projects", Set.of("events", "identity"));
        FEATURES.put("gpu", Set.of("events", "identity", "limits"));
        FEATURES.put("images", Set.of("events", "gpu", "identity", "projects"));
        FEATURES.put("containers", Set.of("events", "gpu", "identity", "images", "limits", "projects"));
        FEATURES.put("lifecycle", Set.of("containers", "events", "gpu", "identity", "limits"));
        FEATURES.put("launcher", Set.of("containers", "events", "gpu", "identity", "images", "lifecycle", "projects"));
    }

    /** Pages that combine features: they may use every package, and nothing uses them. */
    static final String PAGES = "pages";

    /** The portal's main: it turns the start-up failures of any package into two lines, and nothing uses it. */
    static final String START = "start";

    @Test
    void no_cycles_between_packages() {
        slices().matching("ds01.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void every_class_sits_in_a_package_of_the_table() {
        classes().should().resideInAnyPackage(known())
                .because("a new package is placed in this table (and the README's Layout) first")
                .check(CLASSES);
    }

    @Test
    void shared_parts_use_no_feature() {
        checkEach(rulesFor(SHARED), CLASSES);
    }

    @Test
    void features_use_only_the_features_below_them() {
        checkEach(rulesFor(FEATURES), CLASSES);
    }

    @Test
    void nothing_uses_the_pages() {
        noClasses().that().resideOutsideOfPackage("ds01." + PAGES + "..")
                .should().dependOnClassesThat().resideInAPackage("ds01." + PAGES + "..")
                .because("the pages sit on top: code a feature needs from a page moves down into the feature")
                .check(CLASSES);
    }

    @Test
    void nothing_uses_the_main() {
        noClasses().that().resideOutsideOfPackage("ds01." + START + "..")
                .should().dependOnClassesThat().resideInAPackage("ds01." + START + "..")
                .because("the main only starts the portal and words its refusals")
                .check(CLASSES);
    }

    @Test
    void shared_parts_hold_no_page() {
        noClasses().that().resideInAnyPackage(packages(SHARED.keySet()))
                .should().beAnnotatedWith(jakarta.ws.rs.Path.class)
                .because("a page belongs to its feature, or to ds01.pages when it combines features")
                .check(CLASSES);
    }

    private static final Pattern QUALIFIED = Pattern.compile("\\bds01\\.[a-z]+(\\.[a-z]+)*\\.[A-Z]");

    /** A class of another package is imported, so the imports list every package a file uses. */
    @Test
    void no_qualified_names_inline() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<String> inline = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (!line.startsWith("import ") && !line.startsWith("package ") && QUALIFIED.matcher(line).find()) {
                        inline.add(file + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(inline).as("ds01 names written out in code instead of imported").isEmpty();
    }

    /** One report naming every package that broke its rule, rather than stopping at the first. */
    private static void checkEach(List<ArchRule> rules, JavaClasses classes) {
        List<String> broken = rules.stream().map(rule -> rule.evaluate(classes)).filter(EvaluationResult::hasViolation)
                .map(result -> result.getFailureReport().toString()).toList();
        assertThat(broken).as("package rules broken").isEmpty();
    }

    private static List<ArchRule> rulesFor(Map<String, Set<String>> table) {
        List<ArchRule> rules = new ArrayList<>();
        table.forEach((name, uses) -> {
            List<String> allowed = new ArrayList<>(uses);
            allowed.add(name);
            if (table == FEATURES) {
                allowed.addAll(SHARED.keySet());
            }
            rules.add(classes().that().resideInAPackage("ds01." + name + "..")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("ds01..")
                            .or(resideInAnyPackage(packages(allowed))))
                    .as("ds01." + name + " uses only " + String.join(", ", allowed.stream().sorted().toList()))
                    // a package not written yet (or merged later) has no classes to check
                    .allowEmptyShould(true));
        });
        return rules;
    }

    private static String[] known() {
        List<String> all = new ArrayList<>(SHARED.keySet());
        all.addAll(FEATURES.keySet());
        all.add(PAGES);
        all.add(START);
        return packages(all);
    }

    private static String[] packages(Collection<String> names) {
        return names.stream().map(n -> "ds01." + n + "..").toArray(String[]::new);
    }
}
