package dev.lethe.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}), driven through
 * its chromedriver. Both paths are given, so Selenium never looks for or downloads a browser. Without
 * them the test is skipped, except under {@code CI=true}, where it fails ({@code .ci/run} installs them).
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = env("LETHE_TEST_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = env("LETHE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

    /**
     * Selenium warns on every start that it has no DevTools binding for this Chromium; the tests use WebDriver
     * only, so the warning is noise. Held here because java.util.logging keeps loggers weakly: a level set on
     * a logger nobody references is lost.
     */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A new browser with a fresh profile directory in the system's temporary folder, deleted when it closes. */
    public static Browser start() {
        return start(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A new browser with a fresh profile directory under {@code tempDir}, deleted when it closes. */
    public static Browser start(Path tempDir) {
        for (String path : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(path))) {
                String message = path + " is missing: install Debian's chromium and chromium-driver (bash .ci/browser.sh)";
                if ("true".equals(System.getenv("CI"))) {
                    throw new IllegalStateException(message + " [CI=true: browser tests must not be skipped]");
                }
                Assumptions.abort(message);
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory(tempDir, "chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // why: the flags the issue asks for when running as root in a container, plus a profile of our own.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Runs {@code script} in the page; {@code arguments[i]} are the given values. */
    public Object run(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Runs an asynchronous script: the page calls {@code arguments[arguments.length - 1](result)} when done.
     */
    public Object runAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    @Override
    public void close() {
        driver.quit();
        TempDirs.deleteTree(profile);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
