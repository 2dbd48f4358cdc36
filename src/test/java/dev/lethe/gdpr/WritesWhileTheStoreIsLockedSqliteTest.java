package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded store only: while another connection holds the write lock (as a rebuild does) for longer
 * than the busy timeout, writers answer 503 with {@code Retry-After}, never 500, and nothing is
 * stored. One real lock and real requests, so this test waits the busy timeout once: a short one,
 * set on the store ({@link StoreConfig#busyTimeout()}; 30 s by default).
 */
class WritesWhileTheStoreIsLockedSqliteTest {

    @TempDir
    Path tmp;
    TestServer server;
    GdprClient api;
    Caller owner;

    private static final Duration BUSY_TIMEOUT = Duration.ofMillis(500);

    @BeforeEach
    void start() {
        StoreFixture shortBusyTimeout = dir -> StoreFixture.sqlite().newStore(dir).withBusyTimeout(BUSY_TIMEOUT);
        server = TestServer.start(shortBusyTimeout, tmp);
        api = new GdprClient(server);
        owner = Caller.ownerOfNewProject(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void track_import_engage_and_task_creation_answer_503_with_retry_after_when_the_lock_wait_times_out() throws Exception {
        String token = owner.projectToken();
        String event = "{\"event\":\"e\",\"properties\":{\"token\":\"" + token + "\",\"distinct_id\":\"u1\",\"time\":1790000000}}";
        String importBody = "[{\"event\":\"e\",\"properties\":{\"distinct_id\":\"u1\",\"time\":1790000000,\"$insert_id\":\"i1\"}}]";
        String engage = "{\"$token\":\"" + token + "\",\"$distinct_id\":\"u1\",\"$set\":{\"a\":1}}";
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + server.app.config().store().sqliteFile());
             Statement s = holder.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            var track = CompletableFuture.supplyAsync(() -> server.postForm("/track", "data=" + base64(event)));
            var trackVerbose = CompletableFuture.supplyAsync(() -> server.postForm("/track?verbose=1", "data=" + base64(event)));
            var imported = CompletableFuture.supplyAsync(() -> server.send(HttpRequest.newBuilder(server.uri("/import"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((token + ":").getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(importBody))));
            var engaged = CompletableFuture.supplyAsync(() -> server.postForm("/engage", "data=" + base64(engage)));
            var created = CompletableFuture.supplyAsync(() -> api.createDeletion(owner, GdprClient.ids("alice")));

            assertUnavailable(track.get(), "0");
            assertThat(json(trackVerbose.get()).get("status").asInt()).isZero();
            assertUnavailable(trackVerbose.get(),
                    "{\"status\":0,\"error\":\"the event store is busy or unavailable; nothing was stored; retry later\"}");
            assertUnavailable(imported.get(), "{\"status\":\"error\",\"error\":\"the store is busy or unavailable; retry later\"}");
            assertThat(json(imported.get()).get("status").asText()).isEqualTo("error");
            assertUnavailable(engaged.get(), "0");
            GdprClient.Response r = created.get();
            assertUnavailable(r.raw(), "{\"status\":\"error\",\"error\":\"the task store is unavailable; retry later\"}");
            assertThat(r.error()).isEqualTo("the task store is unavailable; retry later");
            s.execute("ROLLBACK");
        }
        assertThat(server.app.events().list(owner.project().id(), List.of("u1"))).as("nothing was stored").isEmpty();
        // why: every pooled connection whose BEGIN timed out must be usable again (or replaced), so
        // the same writes succeed once the lock is gone; a few rounds reach every connection of the pool.
        for (int i = 0; i < 3; i++) {
            assertThat(server.postForm("/track", "data=" + base64(event)).body()).isEqualTo("1");
            assertThat(api.createDeletion(owner, GdprClient.ids("alice-" + i)).status()).as("after the lock is gone").isEqualTo(201);
        }
        assertThat(server.app.events().list(owner.project().id(), List.of("u1"))).hasSize(1);
    }

    @Test
    void ingestion_and_task_creation_mark_the_store_active_for_the_compactor() {
        server.clock.advance(Duration.ofMinutes(1));
        String event = "{\"event\":\"e\",\"properties\":{\"token\":\"" + owner.projectToken() + "\",\"distinct_id\":\"u1\",\"time\":1790000000}}";
        assertThat(server.postForm("/track", "data=" + base64(event)).body()).isEqualTo("1");
        assertThat(server.app.activity().quietSince()).isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.MILLIS));

        server.clock.advance(Duration.ofMinutes(1));
        assertThat(api.createDeletion(owner, GdprClient.ids("alice")).status()).isEqualTo(201);
        assertThat(server.app.activity().quietSince()).isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A 503 with {@code Retry-After} and exactly this body. */
    private static void assertUnavailable(HttpResponse<String> r, String body) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.body()).isEqualTo(body);
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.readTrusted(r.body());
    }

    private static String base64(String json) {
        return URLEncoder.encode(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
