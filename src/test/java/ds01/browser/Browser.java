package ds01.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One headless Chromium (Debian's {@code chromium}, driven through Debian's {@code /usr/bin/chromedriver}; both
 * installed by testing/run-tests.sh), pointed at the portal the test serves. No Selenium Manager: the driver and the
 * browser are named explicitly, so nothing is downloaded.
 *
 * <p>{@link #screenshots} saves what a page looks like at desktop width and at a phone's 390 px as
 * {@code target/screenshots/<name>-desktop.png} and {@code <name>-phone.png}, for people to review after a run.
 */
final class Browser implements AutoCloseable {

    /** The test accounts' password (testing/setup-accounts.sh). */
    static final String PASSWORD = "ds01-test-password";
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static final int DESKTOP_WIDTH = 1280;
    static final int DESKTOP_HEIGHT = 1000;   // the window's; its viewport is about 860 px high
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    final ChromeDriver driver;
    private final String base;

    Browser(URL portal) {
        String url = portal.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // as root (the tests' machines) Chromium needs --no-sandbox; /dev/shm is small in containers. Reduced motion
        // turns off Bootstrap's smooth scrolling, during which a click lands where the element was before the scroll.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + DESKTOP_WIDTH + "," + DESKTOP_HEIGHT, "--force-prefers-reduced-motion",
                "--lang=en-GB", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(90));
    }

    /** Opens a page of the portal by its path ("/launcher"). */
    Browser open(String path) {
        driver.get(base + path);
        return this;
    }

    String path() {
        return driver.getCurrentUrl().replaceFirst("^https?://[^/]+", "");
    }

    /** Signs in through the sign-in page's form, as a person types it, and waits for the portal's menu. */
    Browser signIn(String user) {
        open("/signin");
        type(By.id("username"), user);
        type(By.id("password"), PASSWORD);
        find(By.cssSelector("form[action='/signin'] button[type=submit]")).click();
        waitFor(By.id("viewer-name"));
        return this;
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    String text(By by) {
        return find(by).getText();
    }

    /** The text of the page's main part, as a person reads it. */
    String main() {
        return text(By.id("main"));
    }

    void type(By field, String text) {
        WebElement e = find(field);
        e.clear();
        e.sendKeys(text);
    }

    WebElement waitFor(By by) {
        return waitFor(by, Duration.ofSeconds(15));
    }

    WebElement waitFor(By by, Duration timeout) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, timeout);
    }

    /** Waits until the element's text contains {@code text}, and returns its text. */
    String waitForText(By by, String text, Duration timeout) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            if (found.isEmpty()) {
                return null;
            }
            String shown = found.get(0).getText();
            return shown.contains(text) ? shown : null;
        }, timeout);
    }

    <T> T until(ExpectedCondition<T> condition, Duration timeout) {
        // a page that navigates while we look (a redirect, an htmx swap) leaves elements stale: look again
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    @SuppressWarnings("unchecked")
    <T> T script(String js, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Lays the page out as a phone does (390 px wide, the page's viewport meta honoured), until {@link #desktop}. */
    Browser phone() {
        emulate(PHONE_WIDTH, PHONE_HEIGHT, true);
        return this;
    }

    /** Back to the window's own size, 1280 px wide. */
    Browser desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        return this;
    }

    private void emulate(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /**
     * Saves the whole current page at desktop width and at phone width (target/screenshots/NAME-desktop.png and
     * NAME-phone.png), then goes back to desktop width.
     */
    void screenshots(String name) {
        screenshot(name + "-desktop", false);
        screenshot(name + "-phone", true);
        desktop();
    }

    /** Saves the whole current page, at phone or desktop width, as target/screenshots/FILE.png; stays at that width. */
    void screenshot(String file, boolean phone) {
        if (phone) {
            phone();
        } else {
            desktop();
        }
        Map<?, ?> size = script("return {w: Math.max(document.documentElement.scrollWidth, window.innerWidth), "
                + "h: document.documentElement.scrollHeight}");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", ((Number) size.get("w")).intValue(),
                        "height", Math.min(((Number) size.get("h")).intValue(), 8000))));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(file + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
