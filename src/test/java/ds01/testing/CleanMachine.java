package ds01.testing;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.Annotation;
import java.util.Arrays;

/**
 * Each test on a clean machine: before it, no container a run made is left on the engine; and in a
 * {@code @QuarkusTest}, the portal's GPU inventory is the captured H100 in 7 slices and its database is empty but
 * for the real test accounts (ds01alice, ds01bob, ds01admin). After it, its containers go.
 *
 * <p>Register it after {@code @QuarkusTest} ({@code @QuarkusTest @ExtendWith(CleanMachine.class)}): JUnit calls
 * extensions in the order they are declared, and the inventory can only be replaced once Quarkus has set up the
 * test's mocks. In a plain JUnit class (the ITs, which start the packaged portal with a database of its own) it
 * clears the engine only.
 */
public final class CleanMachine implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        TestMachine.removeContainers();
        if (isQuarkusTest(context.getRequiredTestClass())) {
            TestMachine.useH100();
            TestDatabase.empty(portal(context).instance(AgroalDataSource.class).get());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestMachine.removeContainers();
    }

    private static boolean isQuarkusTest(Class<?> testClass) {
        // by name: the annotation may come from another class loader than this class's
        return Arrays.stream(testClass.getAnnotations()).map(Annotation::annotationType).map(Class::getName)
                .anyMatch("io.quarkus.test.junit.QuarkusTest"::equals);
    }

    private static ArcContainer portal(ExtensionContext context) {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            throw new IllegalStateException(context.getRequiredTestClass().getName() + " is a @QuarkusTest, but "
                    + "CleanMachine finds no running portal to clean: declare @ExtendWith(CleanMachine.class) after "
                    + "@QuarkusTest");
        }
        return container;
    }
}
