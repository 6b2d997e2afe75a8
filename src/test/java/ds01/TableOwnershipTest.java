package ds01;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Table;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each table has one owning type, and no other class writes SQL against it: who changes a table is visible from the
 * packages. The map below is the list of tables and their owners; a migration that adds a table fails
 * {@link #everyTableOfTheSchemaHasAnOwner} until its owner is named here.
 */
class TableOwnershipTest {

    /** Table -> the one class that reads and writes it (an entity with its queries, or a repository). */
    static final Map<String, String> OWNERS = new TreeMap<>(Map.ofEntries(
            Map.entry("portal_user", "ds01.identity.PortalUser"),
            Map.entry("api_token", "ds01.identity.ApiToken"),
            Map.entry("ended_session", "ds01.identity.EndedSessions"),
            Map.entry("container", "ds01.containers.ContainerRecord"),
            Map.entry("image", "ds01.images.ImageRecord"),
            Map.entry("site_base_image", "ds01.images.SiteBaseImage"),
            Map.entry("allocation", "ds01.gpu.Allocations"),
            Map.entry("gpu_request", "ds01.gpu.GpuRequests"),
            Map.entry("audit_event", "ds01.events.AuditEvent"),
            Map.entry("notification", "Notification"),
            Map.entry("jupyter_session", "ds01.launcher.JupyterSession"),
            Map.entry("container_clock", "ds01.lifecycle.ContainerClock"),
            Map.entry("lifecycle_exemption", "ds01.lifecycle.Exemptions")));

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("ds01");

    @Test
    void everyTableOfTheSchemaHasAnOwner() throws IOException {
        Pattern create = Pattern.compile("create table (\\w+)", Pattern.CASE_INSENSITIVE);
        List<String> tables = new ArrayList<>();
        try (Stream<Path> migrations = Files.list(Path.of("db/migrations"))) {
            migrations.filter(p -> p.toString().endsWith(".sql")).forEach(p -> {
                Matcher m = create.matcher(read(p));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            });
        }
        assertThat(tables).as("tables the migrations create").isNotEmpty();
        assertThat(OWNERS.keySet()).as("every table made by db/migrations has an owner named in OWNERS")
                .containsAll(tables);
    }

    @Test
    void entitiesAreTheOwnersOfTheirTables() {
        for (JavaClass entity : MAIN_CLASSES.stream().filter(c -> c.isAnnotatedWith(Entity.class)).toList()) {
            String table = entity.getAnnotationOfType(Table.class).name();
            assertThat(owner(table)).as("owner of table " + table).matches(o -> owns(o, entity.getName()));
        }
    }

    /** SQL in main code names a table only inside its owner (native SQL and JPQL, written in string literals). */
    @Test
    void noClassWritesSqlAgainstAnotherOwnersTable() throws IOException {
        List<String> trespasses = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(source -> {
                String className = MAIN.relativize(source).toString().replace('/', '.').replaceAll("\\.java$", "");
                String sql = sqlOf(read(source));
                OWNERS.forEach((table, owner) -> {
                    if (!owns(owner, className) && names(sql, table)) {
                        trespasses.add(className + " names table " + table + " (owned by " + owner + ")");
                    }
                });
                MAIN_CLASSES.stream().filter(c -> c.isAnnotatedWith(Entity.class)).forEach(entity -> {
                    if (!entity.getName().equals(className) && names(sql, entity.getSimpleName())) {
                        trespasses.add(className + " queries entity " + entity.getSimpleName() + " in JPQL");
                    }
                });
            });
        }
        assertThat(trespasses).as("SQL against another owner's table: call the owner's service instead").isEmpty();
    }

    /** An entity's queries (Panache's static methods, named or inherited) are called from its own package only. */
    @Test
    void entitiesAreQueriedOnlyInTheirOwnPackage() {
        classes().that().areAnnotatedWith(Entity.class).should(new ArchCondition<>("be queried only in their own package") {
            @Override
            public void check(JavaClass entity, ConditionEvents events) {
                for (JavaMethodCall call : entity.getMethodCallsToSelf()) {
                    boolean query = call.getTarget().resolveMember().map(m -> m.getModifiers()
                            .contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC)).orElse(true);
                    if (query && !call.getOriginOwner().getPackageName().equals(entity.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        }).check(MAIN_CLASSES);
    }

    /** Only owners of tables hold an EntityManager for SQL; everyone else goes through them. */
    @Test
    void onlyOwnersUseTheEntityManager() {
        noClasses().that().areNotAnnotatedWith(Entity.class)
                .and().doNotHaveFullyQualifiedName("ds01.identity.EndedSessions")
                .and().doNotHaveFullyQualifiedName("ds01.gpu.Allocations")
                .and().doNotHaveFullyQualifiedName("ds01.gpu.GpuRequests")
                .and().doNotHaveFullyQualifiedName("ds01.lifecycle.Exemptions")
                .and().resideOutsideOfPackage("ds01.database..")
                .should().callMethod(EntityManager.class, "createNativeQuery", String.class)
                .orShould().callMethod(EntityManager.class, "createQuery", String.class, Class.class)
                .orShould().callMethod(EntityManager.class, "createNativeQuery", String.class, Class.class)
                .check(MAIN_CLASSES);
    }

    static boolean owns(String owner, String className) {
        return owner.contains(".") ? owner.equals(className) : className.endsWith("." + owner);
    }

    private static String owner(String table) {
        return OWNERS.getOrDefault(table, "(none)");
    }

    /** The string literals of a source, joined: SQL is often split over several concatenated ones. */
    private static String sqlOf(String source) {
        StringBuilder sql = new StringBuilder();
        Matcher m = LITERAL.matcher(source);
        while (m.find()) {
            sql.append(m.group(1));
        }
        return sql.toString();
    }

    private static boolean names(String sql, String table) {
        return Pattern.compile("\\b(from|join|into|update|table)\\s+" + table + "\\b",
                Pattern.CASE_INSENSITIVE).matcher(sql).find();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
