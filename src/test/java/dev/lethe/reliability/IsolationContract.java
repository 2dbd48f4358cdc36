package dev.lethe.reliability;

import dev.lethe.testing.Bytes;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.Lethe;
import dev.lethe.auth.GdprAuthenticator;
import dev.lethe.json.Json;
import dev.lethe.store.StoreConfig;
import dev.lethe.task.Engines;
import dev.lethe.testing.MutableClock;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One realistic session (projects, users, tokens and a service account made with the admin
 * CLI; ingestion; a deletion; a retrieval and its download; plenty of refused calls) on two
 * projects, then: nothing of project B is reachable with A's credentials, refused credentials
 * stay refused, and no secret or person id reaches the data directory in plaintext or the log.
 */
abstract class IsolationContract {

    private static final String ALICE = "dsid-alice-3f9c2e";
    private static final String BOB = "dsid-bob-81d0aa";
    private static final String CAROL = "dsid-carol-55e1b7";

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    StoreConfig store;
    /**
     * Starts at the real time: the admin CLI issues tokens on the system clock, and the server must
     * see them expire when this clock has moved past their expiry (a fixed start made that depend on the date).
     */
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    LiveServer server;
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Session a;
    Session b;
    String analyst;
    String saAuthorization;
    String saSecret;
    List<String> secrets = new ArrayList<>();

    /** A project made with the admin CLI, with its owner's GDPR token. */
    record Session(long projectId, String token, String apiSecret, String owner) {
    }

    @BeforeEach
    void session() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        store = store().newStore(tmp);
        a = project("alpha", "owner-a@example.com");
        b = project("beta", "owner-b@example.com");
        admin("user", "create", "--email", "analyst@example.com");
        admin("grant", "--email", "analyst@example.com", "--project", Long.toString(a.projectId()), "--role", "analyst");
        analyst = Http.bearer(secret(admin("token", "issue", "--email", "analyst@example.com").path("token").asText()));
        JsonNode sa = admin("service-account", "create", "--name", "robot", "--project", Long.toString(a.projectId()),
                "--role", "admin");
        saSecret = secret(sa.path("secret").asText());
        saAuthorization = Http.basic(sa.path("username").asText(), saSecret);
        server = LiveServer.start(store, clock, c -> c);
        for (Session s : List.of(a, b)) {
            ok(server.http.postJson("/track", Json.write(List.of(trackEvent(s, ALICE, "dev-" + ALICE),
                    trackEvent(s, BOB, null))), null));
            HttpResponse<String> imported = server.http.postJson("/import", Json.write(List.of(Map.of("event", "Purchase",
                    "properties", Map.of("distinct_id", CAROL, "time", 1_790_000_000L, "$insert_id", "imp-1")))),
                    Http.basic(s.apiSecret(), ""));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            ok(server.http.postJson("/engage", Json.write(Map.of("$token", s.token(), "$distinct_id", ALICE,
                    "$set", Map.of("$email", "alice@example.com"))), null));
        }
        // why: the refused calls of a real session are the ones most likely to log what they were given.
        server.http.postJson("/track", Json.write(trackEvent(new Session(0, "wrong-" + a.token(), "", ""), ALICE, null)), null);
        server.http.postJson("/import", "[{\"event\":1}]", Http.basic(a.apiSecret(), ""));
        server.http.postJson("/import", "[]", Http.basic("not-" + a.apiSecret(), ""));
        server.http.gdpr("POST", Http.DELETIONS, a.owner() + "x", a.token(), "{}");
        server.http.gdpr("POST", Http.DELETIONS, a.owner(), a.token(), "{\"distinct_ids\": [\"" + ALICE + "\"], \"compliance_type\": \"X\"}");
        server.http.gdpr("GET", Http.RETRIEVALS + "/" + ALICE, a.owner(), a.token(), null);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void project_a_credentials_never_reach_project_b_tasks() {
        String bDeletion = server.http.create(Http.DELETIONS, b.owner(), b.token(), BOB);
        String bRetrieval = server.http.create(Http.RETRIEVALS, b.owner(), b.token(), ALICE);
        for (String aAuth : List.of(a.owner(), saAuthorization)) {
            for (String[] call : List.of(new String[] {"GET", Http.DELETIONS + "/" + bDeletion},
                    new String[] {"DELETE", Http.DELETIONS + "/" + bDeletion}, new String[] {"GET", Http.RETRIEVALS + "/" + bRetrieval},
                    new String[] {"DELETE", Http.RETRIEVALS + "/" + bRetrieval},
                    new String[] {"GET", Http.DELETIONS + "/" + bDeletion + "/certificate"})) {
                HttpResponse<String> own = server.http.gdpr(call[0], call[1], aAuth, a.token(), null);
                assertThat(own.statusCode()).as("%s %s with A's token", call[0], call[1]).isEqualTo(404);
                assertThat(Json.readTrusted(own.body()).path("results").path("status").asText()).isEqualTo("NOT_FOUND");
                HttpResponse<String> theirs = server.http.gdpr(call[0], call[1], aAuth, b.token(), null);
                assertThat(theirs.statusCode()).as("%s %s with B's token", call[0], call[1]).isEqualTo(403);
            }
            for (String kind : List.of(Http.DELETIONS, Http.RETRIEVALS)) {
                assertThat(server.http.gdpr("GET", kind, aAuth, b.token(), null).statusCode()).isEqualTo(403);
                assertThat(server.http.gdpr("POST", kind, aAuth, b.token(), "{\"distinct_ids\": [\"x\"]}").statusCode())
                        .isEqualTo(403);
                assertThat(server.http.gdpr("GET", kind, aAuth, a.token(), null).body())
                        .doesNotContain(bDeletion).doesNotContain(bRetrieval);
            }
        }
        Engines.drain(server.app.engine());
        assertThat(server.app.tasks().byTrackingId(bDeletion).orElseThrow().status().name()).isEqualTo("SUCCESS");
        assertThat(server.app.tasks().byTrackingId(bRetrieval).orElseThrow().status().name()).isEqualTo("SUCCESS");
    }

    @Test
    void tampered_and_expired_download_links_are_refused() {
        String retrieval = server.http.create(Http.RETRIEVALS, a.owner(), a.token(), ALICE);
        Engines.drain(server.app.engine());
        URI link = URI.create(server.http.check(Http.RETRIEVALS, a.owner(), a.token(), retrieval).path("results").asText());
        String path = link.getRawPath() + "?" + link.getRawQuery();
        assertThat(server.http.get(path).statusCode()).isEqualTo(200);
        String signature = path.substring(path.indexOf("signature=") + "signature=".length());
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertThat(server.http.get(path.replace(signature, flipped)).statusCode()).isEqualTo(403);
        assertThat(server.http.get(path.replace("expires=", "expires=9")).statusCode()).isEqualTo(403);
        assertThat(server.http.get(link.getRawPath()).statusCode()).isEqualTo(403);
        String otherTask = server.http.create(Http.RETRIEVALS, b.owner(), b.token(), BOB);
        assertThat(server.http.get(path.replace(retrieval, otherTask)).statusCode()).as("a link moved to another task").isEqualTo(403);
        clock.advance(Duration.ofDays(8));
        HttpResponse<String> expired = server.http.get(path);
        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(Json.readTrusted(expired.body()).path("status").asText()).isEqualTo("error");
    }

    @Test
    void analysts_and_revoked_or_expired_credentials_are_refused() {
        String task = server.http.create(Http.DELETIONS, a.owner(), a.token(), BOB);
        for (String[] call : List.of(new String[] {"POST", Http.DELETIONS}, new String[] {"GET", Http.DELETIONS},
                new String[] {"GET", Http.DELETIONS + "/" + task}, new String[] {"DELETE", Http.DELETIONS + "/" + task},
                new String[] {"GET", Http.DELETIONS + "/" + task + "/certificate"})) {
            String body = call[0].equals("POST") ? "{\"distinct_ids\": [\"x\"]}" : null;
            assertThat(server.http.gdpr(call[0], call[1], analyst, a.token(), body).statusCode()).as("analyst %s", call[1])
                    .isEqualTo(403);
        }
        admin("token", "revoke", "--email", "owner-a@example.com");
        // why: the admin CLI is another process to the server, whose authentications are reused for
        // the cache's TTL (see GdprAuthCacheContract); a revocation from there counts once it has passed.
        clock.advance(GdprAuthenticator.CACHE_TTL);
        assertThat(server.http.gdpr("GET", Http.DELETIONS + "/" + task, a.owner(), a.token(), null).statusCode()).isEqualTo(401);
        admin("service-account", "revoke", "--username", saAuthorizationUser());
        clock.advance(GdprAuthenticator.CACHE_TTL);
        assertThat(server.http.gdpr("GET", Http.DELETIONS + "/" + task, saAuthorization, a.token(), null).statusCode())
                .isEqualTo(401);
        String shortLived = Http.bearer(secret(admin("token", "issue", "--email", "owner-a@example.com", "--days", "1")
                .path("token").asText()));
        assertThat(server.http.gdpr("GET", Http.DELETIONS + "/" + task, shortLived, a.token(), null).statusCode()).isEqualTo(200);
        // why: the admin CLI issues the token on the system clock, the server checks it on the test's; two days
        // past the real now is past the token's expiry whatever day the suite runs (a fixed date broke on 2026-11-29).
        clock.set(Instant.now().plus(Duration.ofDays(2)));
        assertThat(server.http.gdpr("GET", Http.DELETIONS + "/" + task, shortLived, a.token(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void no_secret_is_stored_in_plaintext_and_no_person_id_or_token_is_logged() throws IOException {
        String deletion = server.http.create(Http.DELETIONS, a.owner(), a.token(), BOB);
        String retrieval = server.http.create(Http.RETRIEVALS, saAuthorization, a.token(), ALICE);
        // why: a failing task is where ids and secrets would reach the log: B's archive directory is unwritable.
        Files.createDirectories(store.dataDir().resolve("archives"));
        Files.writeString(store.dataDir().resolve("archives").resolve(Long.toString(b.projectId())), "not a directory");
        String failing = server.http.create(Http.RETRIEVALS, b.owner(), b.token(), CAROL);
        Engines.drain(server.app.engine());
        assertThat(server.app.tasks().byTrackingId(failing).orElseThrow().status().name()).isEqualTo("FAILURE");
        URI link = URI.create(server.http.check(Http.RETRIEVALS, saAuthorization, a.token(), retrieval).path("results").asText());
        HttpResponse<byte[]> zip = server.http.sendBytes(HttpRequest.newBuilder(server.http.uri(link.getRawPath() + "?"
                + link.getRawQuery())).GET());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(server.http.check(Http.DELETIONS, a.owner(), a.token(), deletion).path("status").asText()).isEqualTo("SUCCESS");
        server.http.gdpr("DELETE", Http.DELETIONS + "/" + deletion, a.owner(), a.token(), null);
        clock.advance(Duration.ofDays(8));
        server.app.archivePurger().purgeExpiredLogged();
        List<String> rows = Tables.dump(server.app.db(), Tables.all(server.app.db()));
        server.close();
        server = null;

        assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
        for (String secret : secrets) {
            String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
            assertThat(rows).as("a stored row holds a secret in plaintext").noneMatch(row -> row.contains(hex));
            try (Stream<Path> files = Files.walk(store.dataDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Bytes.contains(Files.readAllBytes(f), secret.getBytes(StandardCharsets.UTF_8)))
                            .as("%s holds a secret in plaintext", f).isFalse();
                }
            }
        }
        List<String> forbidden = new ArrayList<>(secrets);
        forbidden.addAll(List.of(ALICE, BOB, CAROL, a.token(), b.token()));
        assertThat(logs.list).as("log lines of the session (the failed task, the purge)").hasSizeGreaterThanOrEqualTo(2);
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            for (String f : forbidden) {
                assertThat(line).as("log line at %s", e.getLevel()).doesNotContain(f);
            }
        }
    }

    private String saAuthorizationUser() {
        String decoded = new String(java.util.Base64.getDecoder().decode(saAuthorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    private Session project(String name, String owner) {
        JsonNode p = admin("project", "create", "--name", name);
        long id = p.path("project_id").asLong();
        admin("user", "create", "--email", owner);
        admin("grant", "--email", owner, "--project", Long.toString(id), "--role", "owner");
        String token = secret(admin("token", "issue", "--email", owner).path("token").asText());
        return new Session(id, p.path("token").asText(), secret(p.path("api_secret").asText()), Http.bearer(token));
    }

    private String secret(String value) {
        assertThat(value).isNotBlank();
        secrets.add(value);
        return value;
    }

    /** {@code lethe admin ...} on this store, in process, as an operator would run it. */
    private JsonNode admin(String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--data-dir", store.dataDir().toString(), "--store", store.kind().name().toLowerCase()));
        if (store.jdbcUrl() != null) {
            all.addAll(List.of("--jdbc-url", store.jdbcUrl(), "--db-user", store.dbUser(), "--db-password", store.dbPassword()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Lethe.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(all.toArray(String[]::new))).as("admin %s: %s", List.of(args), err).isZero();
        return Json.readTrusted(out.toString());
    }

    private static Map<String, Object> trackEvent(Session s, String distinctId, String deviceId) {
        Map<String, Object> props = new java.util.LinkedHashMap<>(Map.of("token", s.token(), "distinct_id", distinctId,
                "time", 1_790_000_000L));
        if (deviceId != null) {
            props.put("$device_id", deviceId);
            props.put("$user_id", distinctId);
        }
        return Map.of("event", "Signup", "properties", props);
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.body()).as("status %d", r.statusCode()).isEqualTo("1");
    }
}
