package ds01.browser;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimitsAndCatalogue;
import ds01.testing.TestDatabase;
import ds01.testing.TestMachine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's day in a real browser (headless Chromium), against the portal on the real engine with the tests' H100 in
 * seven MIG slices: ds01alice signs in through the sign-in page (PAM), makes a project, builds its image through the
 * four steps and watches the log to its end, deploys with a GPU slice, finds it on the launcher while ds01admin
 * watches the GPU page take the slot without a reload, opens Jupyter through the portal's proxy, is refused a second
 * GPU with the reason on the page, and retires, after which the admin's page shows the slot free again. And a user
 * who is not an admin gets the refusal page from every admin page. Screenshots of each page go to
 * target/screenshots/ (see {@link Browser#screenshots}).
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimitsAndCatalogue.class)
class UsersDayTest {

    static final String PROJECT = "dayproj";
    static final String IMAGE = "ds01-2001/dayimage:latest";
    static final String CONTAINER = PROJECT + "._.2001";

    @TestHTTPResource("/")
    URL portal;

    @Inject
    AgroalDataSource dataSource;

    final DockerClient docker = TestMachine.engine();

    @BeforeEach
    void noProjectOrImageFromAnEarlierRun() throws Exception {
        removeProjectAndImage();
    }

    @AfterEach
    void removeWhatTheDayMade() throws Exception {
        removeProjectAndImage();
    }

    private void removeProjectAndImage() throws Exception {
        // the portal never deletes a workspace; the test does, so the next run can make the project anew
        new ProcessBuilder("rm", "-rf", "--", "/home/ds01alice/workspace/" + PROJECT).start().waitFor(30, TimeUnit.SECONDS);
        try {
            docker.removeImageCmd(IMAGE).withForce(true).exec();
        } catch (NotFoundException gone) {
            // not built
        }
    }

    private static Duration seconds(int n) {
        return Duration.ofSeconds(n);
    }

    @Test
    void aUserBuildsDeploysOpensJupyterAndRetiresWhileTheAdminWatchesTheGpus() {
        try (Browser alice = new Browser(portal); Browser admin = new Browser(portal)) {
            // --- sign in through the sign-in page (PAM checks the host account's password)
            alice.open("/");
            assertThat(alice.path()).as("signed out: sent to sign in").startsWith("/signin");
            alice.screenshots("signin");
            alice.signIn("ds01alice");
            assertThat(alice.text(By.id("viewer-name"))).contains("ds01alice");
            alice.open("/");
            alice.screenshots("dashboard");

            // the admin opens the live GPU page and keeps it open; a mark on the window shows it is never reloaded
            admin.signIn("ds01admin").open("/admin/gpus");
            assertThat(admin.text(By.id("slots-held"))).isEqualTo("0 of 7");
            admin.script("window.ds01NotReloaded = true");

            // --- a new project, then straight on to the image form
            alice.open("/projects/new");
            alice.screenshots("project-new");
            alice.type(By.id("name"), PROJECT);
            alice.find(By.cssSelector("#project-form button[type=submit]")).click();
            alice.waitFor(By.id("image-form"));
            assertThat(alice.path()).isEqualTo("/images/new?project=" + PROJECT);
            assertThat(alice.find(By.id("project")).getAttribute("value")).isEqualTo(PROJECT);
            assertThat(alice.main()).contains("Project " + PROJECT + " is ready");

            // --- the image form's four steps
            alice.type(By.id("name"), "dayimage");
            Select base = new Select(alice.find(By.id("base")));                                  // 1: framework
            base.getOptions().stream().filter(o -> o.getText().startsWith("Debian bookworm-test")).findFirst()
                    .orElseThrow(() -> new AssertionError("no test base offered: " + alice.text(By.id("base"))))
                    .click();
            alice.find(By.id("jupyter-skip")).click();                                              // 2: Jupyter
            alice.find(By.id("dataScience-custom")).click();                                        // 3: data science
            alice.type(By.name("dataSciencePackages"), "pandas\nscipy");
            new Select(alice.find(By.id("useCase"))).selectByValue("rl");                        // 4: use case
            alice.type(By.id("extra"), "einops>=0.7");
            alice.screenshots("image-form");
            alice.find(By.cssSelector("#image-form button[type=submit]")).click();

            alice.waitFor(By.id("dockerfile"));
            assertThat(alice.text(By.id("layers"))).contains("pandas", "scipy", "gymnasium", "stable-baselines3",
                    "einops>=0.7").doesNotContain("jupyterlab");
            assertThat(alice.text(By.id("dockerfile"))).contains("FROM ds01-test/pybase:latest");
            alice.screenshots("image-review");
            alice.find(By.xpath("//form[@action='/images/build']//button[.='Build']")).click();

            // the build page follows the log live until the build ends
            alice.waitFor(By.id("build-log"));
            assertThat(alice.path()).startsWith("/images/builds/");
            String state = alice.waitForText(By.id("build-state"), "built " + IMAGE, seconds(240));
            assertThat(state).doesNotContain("failed");
            String log = alice.text(By.id("build-log"));
            assertThat(log).contains("Step 1/", "ds01 stand-in pip: would install:", "pandas", "[ds01] built " + IMAGE);
            assertThat(alice.all(By.cssSelector("form[action$='/cancel']"))).as("no cancel once built").isEmpty();
            alice.screenshots("image-build");

            // --- the launcher's card offers the deploy; the container gets a GPU slice
            alice.open("/launcher");
            WebElement card = alice.find(By.id("project-" + PROJECT));
            assertThat(card.findElement(By.cssSelector("[data-image-state]")).getText()).isEqualTo("dayimage: ready");
            alice.screenshots("launcher");
            card.findElement(By.linkText("Deploy")).click();
            alice.waitFor(By.id("deploy-form"));
            assertThat(alice.find(By.id("project")).getAttribute("value")).isEqualTo(PROJECT);
            assertThat(new Select(alice.find(By.id("image"))).getFirstSelectedOption().getText()).isEqualTo(IMAGE);
            assertThat(alice.text(By.id("deploy-quota"))).contains("0 of 1 GPU slots held");
            // Images built here cannot hold Jupyter (no package index to install it from), so this container runs the
            // test base image, whose stand-in jupyter-lab serves as Jupyter does
            new Select(alice.find(By.id("image"))).selectByVisibleText("ds01-test/base:latest");
            new Select(alice.find(By.id("gpus"))).selectByValue("profile:1g.10gb");
            alice.screenshots("containers");
            alice.find(By.cssSelector("#deploy-form button[type=submit]")).click();
            String outcome = alice.waitFor(By.id("deploy-outcome"), seconds(90)).getText();
            assertThat(outcome).contains(CONTAINER + " is running");
            assertThat(alice.text(By.id("deploy-steps"))).contains("Create the container", "Start the container");
            alice.screenshots("deploy");

            // the admin's page takes the slot by itself
            admin.waitForText(By.id("slots-held"), "1 of 7", seconds(20));
            assertThat(admin.text(By.id("gpu-board"))).contains("ds01alice", CONTAINER);
            assertThat((Boolean) admin.script("return window.ds01NotReloaded === true")).as("updated in place").isTrue();
            admin.screenshots("admin-gpus");

            alice.open("/launcher");
            card = alice.find(By.id("project-" + PROJECT));

            assertThat(card.findElement(By.cssSelector("[data-container-state]")).getText())
                    .matches("running.*, 0\\.[0-6]");

            // --- a second GPU is over the quota: refused, and the page says why
            alice.open("/containers");
            assertThat(alice.text(By.id("containers"))).contains(CONTAINER, "running");
            alice.type(By.id("project"), "secondgpu");
            new Select(alice.find(By.id("image"))).selectByVisibleText(IMAGE);
            new Select(alice.find(By.id("gpus"))).selectByValue("profile:1g.10gb");
            alice.find(By.cssSelector("#deploy-form button[type=submit]")).click();
            WebElement refused = alice.waitFor(By.id("deploy-outcome"), seconds(60));
            assertThat(refused.getAttribute("class")).contains("alert-danger");
            assertThat(refused.getText()).contains("limit is 1 GPU slots", CONTAINER, "Stop or retire a container");
            alice.screenshots("deploy-refused");
            assertThat(admin.text(By.id("slots-held"))).isEqualTo("1 of 7");

            // --- open Jupyter from the launcher: the portal's proxy serves it, without its token
            alice.open("/launcher");
            alice.find(By.id("project-" + PROJECT)).findElement(By.xpath(".//button[contains(., 'Open Jupyter')]")).click();
            alice.waitForText(By.tagName("body"), "stand-in JupyterLab as uid 2001", seconds(90));
            assertThat(alice.path()).startsWith("/user/ds01alice/" + PROJECT + "/");
            String token = TestDatabase.text(dataSource, "select s.token from jupyter_session s join container c on "
                    + "c.id = s.container_id where c.name = '" + CONTAINER + "' and c.retired_at is null");
            assertThat(alice.driver.getPageSource()).doesNotContain(token);
            alice.screenshots("jupyter");

            // --- retire from the launcher; the GPU is free again, on the admin's page without a reload
            alice.open("/launcher");
            alice.find(By.id("project-" + PROJECT)).findElement(By.xpath(".//button[.='Retire']")).click();
            alice.waitForText(By.id("flash"), "retired", seconds(60));
            alice.open("/launcher");
            assertThat(alice.find(By.id("project-" + PROJECT)).findElement(By.cssSelector("[data-container-state]"))
                    .getText()).isEqualTo("none");
            admin.waitForText(By.id("slots-held"), "0 of 7", seconds(20));
            assertThat(admin.text(By.id("gpu-board"))).doesNotContain("ds01alice");
            assertThat((Boolean) admin.script("return window.ds01NotReloaded === true")).as("updated in place").isTrue();
            alice.open("/");
            assertThat(alice.text(By.id("quota-summary"))).startsWith("0 of 1 GPU slots held, 1 left");
        }
    }

    @Test
    void aUserWhoIsNotAnAdminGetsTheRefusalPageFromEveryAdminPage() {
        try (Browser admin = new Browser(portal); Browser bob = new Browser(portal)) {
            admin.signIn("ds01admin");
            // every admin page the admin's menu offers, so pages added later are covered too
            Set<String> adminPages = new LinkedHashSet<>();
            for (WebElement link : admin.all(By.cssSelector("#nav a.nav-link, #nav a.dropdown-item"))) {
                String path = link.getAttribute("href").replaceFirst("^https?://[^/]+", "");
                if (path.startsWith("/admin/")) {
                    adminPages.add(path);
                }
            }
            assertThat(adminPages).contains("/admin/gpus", "/admin/limits", "/admin/images", "/admin/lifecycle");
            for (String page : adminPages) {
                admin.open(page);
                assertThat(admin.driver.getTitle()).as(page).doesNotContain("403");
            }

            bob.signIn("ds01bob");
            assertThat(bob.all(By.cssSelector("#nav a[href^='/admin/']"))).as("no admin menu for a user").isEmpty();
            List<String> notRefused = new ArrayList<>();
            for (String page : adminPages) {
                bob.open(page);
                String title = bob.driver.getTitle();
                String shown = bob.main();
                if (!title.startsWith("403") || !shown.contains("You may not do that")) {
                    notRefused.add(page + " (" + title + ")");
                }
            }
            assertThat(notRefused).as("admin pages a user could open").isEmpty();
            bob.screenshots("admin-refused");
        }
    }
}
