package dev.lethe.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.audit.AuditEntry;
import dev.lethe.auth.Role;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
import dev.lethe.testing.Browser;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.lethe.web.console.ConsoleFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privacy console in real headless Chromium (Debian's chromium + chromedriver): sign in, file a deletion
 * by CSV upload and watch it reach SUCCESS without reloading, download a retrieval archive and open it,
 * cancel a queued request, an analyst sees nothing, a wrong password is throttled, keyboard-only sign-in,
 * labels on every field, a phone-width layout. The server runs no workers: the test moves each task with the
 * engine's one-poll entry point while the page is open, so the page is seen refreshing by itself every time.
 * Each page is written as a screenshot under target/console-screenshots/.
 */
abstract class ConsoleBrowserContract {

    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * How often a wait looks again. Selenium's default, half a second, was most of these tests' time: nearly
     * every step waits once for the page a click loads, and a check costs chromedriver a few milliseconds.
     */
    static final Duration POLL = Duration.ofMillis(20);

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Project project;
    Browser browser;
    String base;
    private static Browser shared;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("Shop").project();
        // why: download links name localhost (no --public-url); the browser uses the same origin for them
        base = "http://localhost:" + server.app.port();
        operator("dpo@example.com", Role.OWNER);
        ConsoleFixtures.adaAndBo(server, project.id());
        browser = sharedBrowser();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * One Chromium for the class: starting one costs seconds, and each test gets it back with no cookie
     * and the desktop width (each test's server is new, so no old session could be valid anyway).
     */
    private static Browser sharedBrowser() {
        if (shared == null) {
            shared = Browser.start();
        }
        shared.driver().executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
        shared.driver().manage().window().setSize(new Dimension(1280, 900));
        shared.open("about:blank");
        return shared;
    }

    @AfterAll
    static void closeBrowser() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    void operator(String email, Role role) {
        ConsoleFixtures.operator(server, project.id(), email, role);
    }

    @Test
    void sign_in_file_a_deletion_by_csv_and_watch_it_finish_without_reloading() throws IOException {
        signIn("dpo@example.com");
        shot("requests-empty");
        open("/requests/new");
        assertEveryFieldHasALabel();
        shot("new-request");
        Path csv = Files.writeString(tmp.resolve("ids.csv"), "distinct_id,email\nada,x@example.com\n\"ada\",again\n");
        find("kind-deletion").click();
        find("csv").sendKeys(csv.toAbsolutePath().toString());
        find("submit-request").click();
        assertThat(headingOnceShown("Confirm the deletion")).isEqualTo("Confirm the deletion");
        assertThat(textOnceShown("preview-events", "3")).isEqualTo("3");
        assertThat(textOnceShown("preview-profiles", "1")).isEqualTo("1");
        assertThat(find("preview").getText()).contains("Linked ids covered\n3");
        shot("confirm-deletion");
        find("confirm-deletion").click();
        assertThat(textOnceShown("status", "PENDING")).isEqualTo("PENDING");

        open("/requests");
        browser.run("window.notReloaded = true;");
        assertThat(rowStatuses()).containsExactly("PENDING");
        while (server.app.engine().runOnce()) {
            // the worker's poll, run here while the page is open
        }
        waitUpTo().until(d -> rowStatuses().equals(List.of("SUCCESS")));
        assertThat(browser.run("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(text("#requests tbody")).contains("deletion", "dpo@example.com", "events deleted: 3");
        shot("requests");
        assertThat(server.app.events().count(project.id(), List.of("ada", "device-ada", "ada@example.com"))).isZero();
        assertThat(server.app.events().count(project.id(), List.of("bo"))).isEqualTo(1);

        browser.driver().findElement(By.cssSelector("#requests tbody a")).click();
        assertThat(textOnceShown("status", "SUCCESS")).isEqualTo("SUCCESS");
        assertThat(text("main")).as("a finished deletion keeps the linked ids only as keyed hashes")
                .contains("Resolved ids", "Shown as keyed hashes", "hmac-sha256:").doesNotContain("device-ada");
        shot("request-detail");
    }

    @Test
    void refused_csv_lines_are_listed_and_nothing_is_filed() throws IOException {
        signIn("dpo@example.com");
        open("/requests/new");
        Path csv = Files.writeString(tmp.resolve("bad.csv"), "distinct_id\nada\n" + "x".repeat(256) + "\n\"open quote\n");
        find("csv").sendKeys(csv.toAbsolutePath().toString());
        find("submit-request").click();
        String refused = find("refused").getText();
        assertThat(refused).contains("CSV file, line 3", "longer than 255 characters", "CSV file, line 4", "unterminated");
        assertThat(text("main")).contains("2 lines were refused; nothing was filed");
        shot("new-request-refused");
        assertThat(server.app.tasks().list(project.id(), dev.lethe.task.TaskKind.DELETION, null, null, 10)).isEmpty();
    }

    @Test
    void download_a_retrieval_archive_and_open_it() throws IOException {
        signIn("dpo@example.com");
        open("/people?id=" + "ada@example.com");
        assertThat(textOnceShown("events", "3")).isEqualTo("3");
        assertThat(find("linked").getText()).contains("ada", "device-ada", "ada@example.com");
        assertThat(text("main")).contains("$email, plan");
        shot("person-lookup");
        find("start-retrieval").click();
        assertThat(find("ids").getAttribute("value")).isEqualTo("ada@example.com");
        assertThat(find("kind-retrieval").isSelected()).isTrue();
        find("submit-request").click();
        assertThat(textOnceShown("status", "PENDING")).isEqualTo("PENDING");
        browser.run("window.notReloaded = true;");
        while (server.app.engine().runOnce()) {
            // the worker's poll
        }
        waitUpTo().until(d -> !d.findElements(By.id("download")).isEmpty());
        assertThat(browser.run("return window.notReloaded === true;")).isEqualTo(true);
        assertThat(textOnceShown("status", "SUCCESS")).isEqualTo("SUCCESS");
        shot("retrieval-detail");

        String href = find("download").getAttribute("href");
        String zipBase64 = (String) browser.runAsync("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'})
                  .then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
                  .then(b => { let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x)); done(btoa(s)); })
                  .catch(e => done('failed: ' + e));
                """, href);
        Map<String, String> files = unzip(Base64.getDecoder().decode(zipBase64));
        assertThat(files).containsKeys("manifest.json", "events.jsonl", "profiles.jsonl");
        assertThat(files.get("events.jsonl").lines()).hasSize(3);
        assertThat(files.get("events.jsonl")).contains("Signed Up", "Paid").doesNotContain("\"bo\"");

        List<AuditEntry> audit = server.app.audit().page(project.id(), null, 10);
        assertThat(audit).extracting(AuditEntry::action).containsExactly("download", "download", "create");
        assertThat(audit.get(0).actorKind()).isEqualTo("link");
        assertThat(audit.get(1).actor()).isEqualTo("dpo@example.com");
        assertThat(audit.get(1).channel()).isEqualTo("console");
    }

    @Test
    void cancel_a_queued_request_and_find_it_in_the_audit_log() {
        signIn("dpo@example.com");
        open("/requests/new?kind=deletion&id=bo");
        find("submit-request").click();
        find("confirm-deletion").click();
        assertThat(textOnceShown("status", "PENDING")).isEqualTo("PENDING");
        shot("request-pending");
        find("cancel").click();
        assertThat(textOnceShown("status", "REVOKED")).isEqualTo("REVOKED");
        assertThat(browser.driver().findElements(By.id("cancel"))).isEmpty();
        while (server.app.engine().runOnce()) {
            // a revoked task is never claimed
        }
        assertThat(server.app.events().count(project.id(), List.of("bo"))).isEqualTo(1);

        open("/audit");
        String log = text("#audit tbody");
        assertThat(log).contains("cancel deletion", "revoked", "create deletion", "created", "dpo@example.com (user)", "console");
        assertThat(log).doesNotContain("bo@");
        shot("audit-log");
        // the log holds no id in clear, only keyed hashes
        AuditEntry created = server.app.audit().page(project.id(), null, 10).get(1);
        assertThat(created.idHashes()).containsExactly(server.app.audit().idHash(project.id(), "bo"));
    }

    @Test
    void an_analyst_sees_nothing_of_requests() {
        operator("analyst@example.com", Role.ANALYST);
        String before = server.app.tasks().list(project.id(), dev.lethe.task.TaskKind.DELETION, null, null, 10).toString();
        signIn("analyst@example.com");
        assertThat(text("main")).contains("gives no access to data-subject requests");
        shot("analyst-home");
        open("/requests");
        assertThat(headingOnceShown("Not allowed")).isEqualTo("Not allowed");
        open("/people?id=ada");
        assertThat(text("main")).doesNotContain("device-ada");
        assertThat(server.app.tasks().list(project.id(), dev.lethe.task.TaskKind.DELETION, null, null, 10).toString()).isEqualTo(before);
    }

    @Test
    void wrong_passwords_are_throttled() {
        for (int i = 0; i < 5; i++) {
            submitSignIn("dpo@example.com", "wrong password " + i);
            assertThat(text("main")).contains("wrong email or password");
        }
        submitSignIn("dpo@example.com", PASSWORD);
        assertThat(text("main")).contains("too many failed sign-ins");
        shot("sign-in-throttled");
    }

    @Test
    void keyboard_only_sign_in_and_a_phone_width_layout() {
        browser.open(base + "/console/sign-in");
        assertEveryFieldHasALabel();
        shot("sign-in");
        // why: the email field has autofocus; from there Tab and Enter are all it takes
        new Actions(browser.driver()).sendKeys("dpo@example.com").sendKeys(Keys.TAB).sendKeys(PASSWORD).sendKeys(Keys.ENTER).perform();
        waitUpTo().until(d -> d.getCurrentUrl().endsWith("/requests"));
        browser.driver().manage().window().setSize(new Dimension(390, 844));
        for (String page : new String[] {"/requests", "/requests/new", "/people?id=ada", "/audit"}) {
            open(page);
            assertEveryFieldHasALabel();
            Object overflow = browser.run("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).longValue()).as("horizontal overflow on " + page).isLessThanOrEqualTo(0);
        }
        open("/requests");
        shot("phone-requests");
        open("/requests/new");
        shot("phone-new-request");
    }

    private void signIn(String email) {
        submitSignIn(email, PASSWORD);
        waitUpTo().until(d -> !d.getCurrentUrl().contains("/sign-in"));
    }

    private void submitSignIn(String email, String password) {
        browser.open(base + "/console/sign-in");
        find("email").sendKeys(email);
        find("password").sendKeys(password);
        WebElement submit = browser.driver().findElement(By.cssSelector("form.card button[type=submit]"));
        submit.click();
        // why: the answer is a new page; reading it before the old one is gone races the navigation.
        waitUpTo().until(d -> isGone(submit));
    }

    private void open(String projectPath) {
        browser.open(base + "/console/p/" + project.id() + projectPath);
    }

    /** A wait of at most {@link #WAIT} that looks every {@link #POLL}. */
    private WebDriverWait waitUpTo() {
        return new WebDriverWait(browser.driver(), WAIT, POLL);
    }

    private WebElement find(String id) {
        return waitUpTo().until(d -> d.findElements(By.id(id)).stream().findFirst().orElse(null));
    }

    /** The page's heading once it reads {@code expected} (the page that shows it may still be loading), or the last one seen. */
    private String headingOnceShown(String expected) {
        try {
            waitUpTo().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.cssSelector("h1")).stream().anyMatch(h -> expected.equals(h.getText())));
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion that follows names what was shown instead
        }
        return text("h1");
    }

    /**
     * The text of the element with this id once it reads {@code expected} (a click may still be loading the page that
     * shows it, and the old page's element goes stale), or the last text seen.
     */
    private String textOnceShown(String id, String expected) {
        try {
            waitUpTo().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> d.findElements(By.id(id)).stream().anyMatch(e -> expected.equals(e.getText())));
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertion that follows names what was shown instead
        }
        return waitUpTo().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.id(id)).stream().findFirst().map(WebElement::getText).orElse(null));
    }

    /** Whether the element left the document; Chromium reports a node of an unloaded page in more than one way. */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException e) {
            return true;
        }
    }

    private String text(String css) {
        // why: the element may belong to a page that is being replaced; read it again from the new one
        return waitUpTo().ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText).orElse(null));
    }

    @SuppressWarnings("unchecked")
    private List<String> rowStatuses() {
        return new ArrayList<>((List<String>) browser.run(
                "return [...document.querySelectorAll('#requests tbody tr')].map(r => r.dataset.status).filter(s => s);"));
    }

    private void assertEveryFieldHasALabel() {
        Object unlabelled = browser.run("""
                return [...document.querySelectorAll('input, select, textarea')]
                  .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
                  .map(e => e.id || e.name);""");
        assertThat((List<?>) unlabelled).as("fields without a label on " + browser.driver().getCurrentUrl()).isEmpty();
    }

    private void shot(String name) {
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static JsonNode json(String s) {
        return Json.readTrusted(s);
    }
}
