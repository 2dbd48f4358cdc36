package dev.lethe.web.console;

import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.project.Project;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.lethe.web.console.ConsoleFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in, sessions, CSRF and the throttle of the privacy console, over plain HTTP against the real server. */
abstract class ConsoleSignInContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Project project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("Shop").project();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    UserStore.User operator(String email, Role role) {
        return ConsoleFixtures.operator(server, project.id(), email, role);
    }

    @Test
    void root_leads_to_the_console_and_an_anonymous_visit_to_sign_in() {
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> root = browser.get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> requests = browser.get("/console/p/" + project.id() + "/requests");
        assertThat(requests.statusCode()).isEqualTo(302);
        assertThat(requests.headers().firstValue("Location").orElseThrow()).startsWith("/console/sign-in");
    }

    @Test
    void the_right_password_opens_a_session_with_a_strict_http_only_cookie() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> signIn = browser.signIn("dpo@example.com", PASSWORD);
        assertThat(signIn.statusCode()).isEqualTo(303);
        String cookie = signIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("lethe_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console").doesNotContain("Secure");
        HttpResponse<String> home = browser.get("/console/");
        // one project with access: straight to its requests
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(browser.get(home.headers().firstValue("Location").orElseThrow()).body()).contains("Requests", "dpo@example.com");
        // the store keeps only a hash of the session value
        assertThat(tablesHold(browser.sessionCookie())).isFalse();
    }

    @Test
    void behind_a_tls_proxy_the_cookie_is_secure() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(browser.uri("/console/sign-in"))
                .header("X-Forwarded-Proto", "https").GET());
        assertThat(form.headers().allValues("Set-Cookie")).allMatch(c -> c.contains("; Secure"));
    }

    @Test
    void a_wrong_password_is_refused_with_the_same_words_as_an_unknown_email() {
        operator("dpo@example.com", Role.OWNER);
        HttpResponse<String> wrong = new ConsoleClient(server).signIn("dpo@example.com", "not the password at all");
        HttpResponse<String> unknown = new ConsoleClient(server).signIn("nobody@example.com", PASSWORD);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong email or password");
        assertThat(unknown.body()).contains("wrong email or password");
        assertThat(wrong.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("lethe_session=lcs_"));
    }

    @Test
    void after_five_wrong_passwords_even_the_right_one_waits_until_the_window_passes() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        for (int i = 0; i < 5; i++) {
            assertThat(browser.signIn("dpo@example.com", "guess number " + i + " is wrong").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = browser.signIn("dpo@example.com", PASSWORD);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.body()).contains("too many failed sign-ins");
        server.clock.advance(Duration.ofMinutes(15));
        assertThat(browser.signIn("dpo@example.com", PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void twenty_failures_from_one_address_throttle_every_account_from_it() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        for (int i = 0; i < 20; i++) {
            assertThat(browser.signIn("guess" + i + "@example.com", "wrong password " + i).statusCode()).isEqualTo(401);
        }
        assertThat(browser.signIn("dpo@example.com", PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void sign_out_ends_the_session_on_the_server() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn("dpo@example.com", PASSWORD);
        String stolen = browser.sessionCookie();
        String csrf = browser.csrf("/console/p/" + project.id() + "/requests");
        assertThat(browser.post("/console/sign-out", Map.of("csrf", csrf)).statusCode()).isEqualTo(303);
        // the old cookie value, replayed, no longer opens anything
        HttpResponse<String> replay = server.send(HttpRequest.newBuilder(server.uri("/console/p/" + project.id() + "/requests"))
                .header("Cookie", "lethe_session=" + stolen).GET());
        assertThat(replay.statusCode()).isEqualTo(302);
        assertThat(replay.headers().firstValue("Location").orElseThrow()).startsWith("/console/sign-in");
    }

    @Test
    void a_session_expires_after_thirty_idle_minutes() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn("dpo@example.com", PASSWORD);
        String requests = "/console/p/" + project.id() + "/requests";
        server.clock.advance(Duration.ofMinutes(29));
        assertThat(browser.get(requests).statusCode()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(31));
        assertThat(browser.get(requests).statusCode()).isEqualTo(302);
    }

    @Test
    void a_state_change_without_the_csrf_token_or_from_another_origin_is_refused() {
        operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn("dpo@example.com", PASSWORD);
        String csrf = browser.csrf("/console/p/" + project.id() + "/requests");
        assertThat(browser.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(403);
        assertThat(browser.post("/console/sign-out", Map.of("csrf", "x" + csrf)).statusCode()).isEqualTo(403);
        assertThat(browser.post("/console/sign-out", Map.of("csrf", csrf), Map.of("Origin", "https://evil.example")).statusCode())
                .isEqualTo(403);
        // none of those ended the session
        assertThat(browser.get("/console/p/" + project.id() + "/requests").statusCode()).isEqualTo(200);
    }

    @Test
    void the_sign_in_form_needs_its_own_nonce() {
        operator("dpo@example.com", Role.OWNER);
        HttpResponse<String> forged = server.postForm("/console/sign-in",
                ConsoleClient.encode(Map.of("email", "dpo@example.com", "password", PASSWORD)));
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void a_broken_multipart_sign_in_is_a_400_with_the_form_again() {
        operator("dpo@example.com", Role.OWNER);
        HttpResponse<String> broken = new ConsoleClient(server).post("/console/sign-in", "multipart/form-data; boundary=XX",
                "garbage".getBytes(StandardCharsets.US_ASCII));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("malformed multipart/form-data body", "name=\"nonce\"");
    }

    @Test
    void a_multipart_upload_over_the_body_limit_is_a_413_with_or_without_a_length() {
        byte[] body = new byte[(int) server.app.config().maxBodyBytes() + 1024];
        byte[] head = "--XX\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"ids.csv\"\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n--XX--\r\n".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(body, (byte) 'a');
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        ConsoleClient browser = new ConsoleClient(server);
        HttpResponse<String> sized = browser.post("/console/sign-in", "multipart/form-data; boundary=XX", body);
        assertThat(sized.statusCode()).isEqualTo(413);
        // why: sent without a Content-Length, only Jetty's multipart limit stops it before the disk does
        HttpResponse<String> chunked = browser.send(HttpRequest.newBuilder(browser.uri("/console/sign-in"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("the form is too large");
    }

    @Test
    void an_analyst_and_a_consumer_see_nothing_of_requests() {
        for (Role role : new Role[] {Role.ANALYST, Role.CONSUMER}) {
            String email = role.wireName() + "@example.com";
            operator(email, role);
            ConsoleClient browser = new ConsoleClient(server);
            assertThat(browser.signIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(browser.get("/console/").body()).contains("gives no access to data-subject requests");
            for (String page : new String[] {"/requests", "/requests.json", "/requests/new", "/people?id=x", "/audit"}) {
                HttpResponse<String> answer = browser.get("/console/p/" + project.id() + page);
                assertThat(answer.statusCode()).as(role + " " + page).isEqualTo(403);
            }
        }
    }

    @Test
    void a_password_change_ends_open_sessions() {
        UserStore.User user = operator("dpo@example.com", Role.OWNER);
        ConsoleClient browser = new ConsoleClient(server);
        browser.signIn("dpo@example.com", PASSWORD);
        server.app.consoleAuth().setPassword(user.id(), "another long password");
        assertThat(browser.get("/console/p/" + project.id() + "/requests").statusCode()).isEqualTo(302);
    }

    private boolean tablesHold(String value) {
        return server.app.db().withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM console_sessions WHERE token_hash = ?")) {
                ps.setString(1, value);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }
}
