package ds01.browser;

import ds01.testing.CleanMachine;
import ds01.testing.ContainerLimitsAndCatalogue;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every main page at a phone's width (390 px): nothing scrolls sideways, every visible field has a label, and every
 * state badge says its state in words, not in colour alone. The admin's pages are checked as the admin, with a
 * container holding a GPU so that the tables have rows. And signing in with the keyboard alone (Tab and Enter).
 */
@QuarkusTest
@ExtendWith(CleanMachine.class)
@TestProfile(ContainerLimitsAndCatalogue.class)
class PhoneAndKeyboardTest {

    /**
     * What a page does wrong for a phone or for someone who cannot tell its colours apart; arguments[0]: whether to
     * look for sideways scrolling too (at phone width).
     */
    static final String PROBLEMS = """
            const phone = arguments[0];
            const problems = [];
            const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
                && getComputedStyle(e).visibility !== 'hidden';
            const describe = e => e.outerHTML.replace(/\\s+/g, ' ').slice(0, 160);
            // a phone lays the page out as wide as its screen; content wider than that makes it scroll sideways or, as
            // mobile browsers do, widens the layout and zooms the whole page out: either way something reaches past
            // the screen's width, so every width is compared with the screen's, not with one another
            const root = document.documentElement;
            const width = screen.width;
            const widest = Math.max(root.scrollWidth, root.clientWidth, window.innerWidth, document.body.scrollWidth);
            if (phone && widest > width) {
              // the innermost elements that reach past the right edge
              // (not counting what scrolls inside a box of its own, such as a wide table)
              const past = e => e.getBoundingClientRect().right > width + 1;
              const boxed = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                  if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
              const wide = [...document.querySelectorAll('body *')].filter(e => shown(e) && past(e) && !boxed(e)
                  && ![...e.children].some(past));
              // where nothing unboxed is found, name the outermost elements that reach past the edge instead
              const culprits = wide.length ? wide : [...document.querySelectorAll('body *')]
                  .filter(e => shown(e) && past(e) && !past(e.parentElement));
              problems.push('scrolls sideways: ' + widest + ' px wide on a '
                  + width + ' px screen, past the edge: ' + culprits.slice(0, 3).map(describe).join(' | '));
            }
            for (const e of document.querySelectorAll('input, select, textarea')) {
              if (e.type === 'hidden' || !shown(e)) continue;
              const byFor = e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]');
              const byAria = (e.getAttribute('aria-label') || '').trim()
                  || (e.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => id && document.getElementById(id)
                      && document.getElementById(id).textContent.trim());
              const label = byFor || e.closest('label');
              if (!byAria && !(label && label.textContent.trim())) problems.push('field without a label: ' + describe(e));
            }
            for (const b of document.querySelectorAll('.badge, [class*="state-"]')) {
              if (!shown(b)) continue;
              if (!b.textContent.trim() && !(b.getAttribute('aria-label') || '').trim()) {
                problems.push('badge without words: ' + describe(b));
              }
            }
            return problems;
            """;

    @TestHTTPResource("/")
    URL portal;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void removeTheWorkspace() throws Exception {
        new ProcessBuilder("rm", "-rf", "--", "/home/ds01admin/workspace/phoneproj").start().waitFor(30, TimeUnit.SECONDS);
    }

    private static List<String> check(Browser browser, String page, boolean phone) {
        List<String> found = browser.script(PROBLEMS, phone);
        return found.stream().map(p -> page + (phone ? " (phone): " : " (desktop): ") + p).toList();
    }

    @Test
    void everyMainPageFitsAPhoneHasLabelledFieldsAndSaysItsStatesInWords() {
        try (Browser admin = new Browser(portal)) {
            List<String> problems = new ArrayList<>();
            admin.phone().open("/signin");
            assertThat((Long) admin.script("return screen.width")).as("laid out as a phone").isEqualTo(390L);
            problems.addAll(check(admin, "/signin", true));
            admin.desktop();
            problems.addAll(check(admin, "/signin", false));

            admin.signIn("ds01admin");
            // a container holding a GPU slice, so the containers, the dashboard and the GPU page have rows and badges
            Map<?, ?> deployed = (Map<?, ?>) admin.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/api/containers', {method: 'POST', headers: {'Content-Type': 'application/json'},
                        body: JSON.stringify({project: 'phoneproj', image: 'ds01-test/base:latest', gpus: 1})})
                      .then(r => r.json().then(body => done({status: r.status, body: JSON.stringify(body)})))
                      .catch(e => done({status: -1, body: String(e)}));
                    """);
            assertThat(deployed.get("status")).as(String.valueOf(deployed.get("body"))).isEqualTo(201L);

            Set<String> pages = new LinkedHashSet<>(List.of("/", "/launcher", "/projects/new", "/images/new", "/images",
                    "/containers", "/containers?everyone=true", "/notifications", "/account/ssh", "/account", "/welcome",
                    "/status"));
            for (WebElement link : admin.all(By.cssSelector("#nav a.nav-link, #nav a.dropdown-item"))) {
                String path = link.getAttribute("href").replaceFirst("^https?://[^/]+", "");
                if (path.startsWith("/admin/")) {
                    pages.add(path);
                }
            }
            assertThat(pages).contains("/admin/gpus", "/admin/limits", "/admin/images", "/admin/lifecycle");
            for (String page : pages) {
                String name = page.equals("/") ? "dashboard-admin"
                        : page.substring(1).replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", "");
                admin.desktop().open(page);
                assertThat(admin.driver.getTitle()).as(page).doesNotContain("404", "403", "500");
                problems.addAll(check(admin, page, false));
                admin.screenshot(name + "-desktop", false);
                // opened on the phone: checked as the screenshot shows it
                admin.phone().open(page);
                problems.addAll(check(admin, page, true));
                admin.screenshot(name + "-phone", true);
            }
            admin.desktop();
            assertThat(problems).as("what does not work on a phone or without colour").isEmpty();
        }
    }

    @Test
    void signingInWorksWithTheKeyboardAlone() {
        try (Browser bob = new Browser(portal)) {
            bob.open("/signin");
            // the user name field has the focus when the page opens; Tab leads to the password, then to the button
            assertThat(bob.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("username");
            new Actions(bob.driver).sendKeys("ds01bob").sendKeys(Keys.TAB).perform();
            assertThat(bob.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("password");
            new Actions(bob.driver).sendKeys(Browser.PASSWORD).sendKeys(Keys.TAB).perform();
            assertThat(bob.driver.switchTo().activeElement().getText()).isEqualTo("Sign in");
            new Actions(bob.driver).sendKeys(Keys.ENTER).perform();
            assertThat(bob.waitFor(By.id("viewer-name")).getText()).contains("ds01bob");

            // on the next page the first Tab reaches "Skip to content", shown when focused; Enter goes to the content
            new Actions(bob.driver).sendKeys(Keys.TAB).perform();
            WebElement skip = bob.driver.switchTo().activeElement();
            assertThat(skip.getText()).isEqualTo("Skip to content");
            assertThat(skip.isDisplayed()).isTrue();
            new Actions(bob.driver).sendKeys(Keys.ENTER).perform();
            assertThat(bob.driver.getCurrentUrl()).endsWith("#main");

            // the menu by Tab alone: on to "Launcher", Enter opens it
            bob.open("/");
            String focused = "";
            for (int i = 0; i < 15 && !focused.equals("Launcher"); i++) {
                new Actions(bob.driver).sendKeys(Keys.TAB).perform();
                focused = bob.driver.switchTo().activeElement().getText();
            }
            assertThat(focused).isEqualTo("Launcher");
            new Actions(bob.driver).sendKeys(Keys.ENTER).perform();
            bob.until(d -> d.getCurrentUrl().endsWith("/launcher"), Duration.ofSeconds(10));
            assertThat(bob.text(By.tagName("h1"))).isEqualTo("Launcher");
        }
    }
}
