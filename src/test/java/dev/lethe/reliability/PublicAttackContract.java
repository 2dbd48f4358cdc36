package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.StoreFixture;
import dev.lethe.web.HttpLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attacks of issue 11 part B that a caller with the public project token (or with nothing) can
 * make, one test each: every one is refused or harmless, and the store is left as it was.
 */
abstract class PublicAttackContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    LiveServer server;
    LiveServer.Owned project;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(java.util.function.UnaryOperator<dev.lethe.config.LetheConfig.Builder> tweak) {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), tweak);
        project = server.ownedProject("acme");
    }

    private HttpResponse<String> engage(String updateJson) {
        return server.http.postJson("/engage?verbose=1", updateJson, null);
    }

    private String update(String distinctId, String operation, String valueJson) {
        return "{\"$token\":\"" + project.token() + "\",\"$distinct_id\":" + distinctId + ",\"" + operation + "\":" + valueJson + "}";
    }

    private JsonNode profile(String distinctId) {
        return server.app.profiles().get(project.id(), distinctId).orElse(null);
    }

    private String track(String distinctIdJson) {
        return "{\"event\":\"E\",\"properties\":{\"token\":\"" + project.token() + "\",\"distinct_id\":" + distinctIdJson
                + ",\"time\":1790000000}}";
    }

    private static void assertLegacyRefusal(HttpResponse<String> r, String why) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = Json.readTrusted(r.body());
        assertThat(body.path("status").asInt(-1)).isZero();
        assertThat(body.path("error").asText()).contains(why);
    }

    // ---- 5: poisoned profile ----

    @Test
    void a_deeply_nested_append_is_refused_and_the_retrieval_of_that_person_still_succeeds() {
        start(b -> b);
        String deep = "[".repeat(998) + "]".repeat(998);
        assertLegacyRefusal(engage(update("\"victim\"", "$append", "{\"x\":" + deep + "}")), "nests deeper than");
        assertLegacyRefusal(server.http.postJson("/track?verbose=1", track("\"victim\"").replace("\"time\":1790000000",
                "\"time\":1790000000,\"deep\":" + "{\"a\":".repeat(30) + "1" + "}".repeat(30)), null), "nests deeper than");
        assertThat(engage(update("\"victim\"", "$append", "{\"x\":" + "[".repeat(10) + "]".repeat(10) + "}")).statusCode())
                .isEqualTo(200);

        String retrieval = server.http.create(Http.RETRIEVALS, project.authorization(), project.token(), "victim");
        Engines.drain(server.app.engine());
        assertThat(server.http.check(Http.RETRIEVALS, project.authorization(), project.token(), retrieval).path("status").asText())
                .isEqualTo("SUCCESS");
    }

    @Test
    void a_record_over_a_megabyte_is_refused() {
        start(b -> b);
        String big = "\"" + "x".repeat(1_100_000) + "\"";
        assertLegacyRefusal(engage(update("\"u\"", "$append", "{\"x\":" + big + "}")), "larger than 1000000 bytes");
        assertThat(profile("u")).isNull();
    }

    // ---- 6: unbounded profiles ----

    @Test
    void a_profile_stops_at_mixpanels_limits_and_the_refused_update_changes_nothing() {
        start(b -> b);
        StringBuilder props = new StringBuilder("{");
        for (int i = 0; i < 2001; i++) {
            props.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":1");
        }
        assertLegacyRefusal(engage(update("\"wide\"", "$set", props.append('}').toString())), "2000 properties");
        assertThat(profile("wide")).isNull();

        String chunk = "\"" + "y".repeat(100_000) + "\"";
        assertThat(engage(update("\"long\"", "$append", "{\"list\":" + chunk + "}")).statusCode()).isEqualTo(200);
        assertThat(engage(update("\"long\"", "$append", "{\"list\":" + chunk + "}")).statusCode()).isEqualTo(200);
        assertLegacyRefusal(engage(update("\"long\"", "$append", "{\"list\":" + chunk + "}")), "262144 bytes");
        assertThat(profile("long").get("list")).hasSize(2);

        for (int i = 0; i < 5; i++) {
            assertThat(engage(update("\"fat\"", "$set", "{\"s" + i + "\":" + "[" + chunk + "," + chunk + "]" + "}")).statusCode())
                    .isEqualTo(200);
        }
        assertLegacyRefusal(engage(update("\"fat\"", "$set", "{\"s9\":[" + chunk + "," + chunk + "]}")), "1048576 bytes");
        assertThat(profile("fat").size()).isEqualTo(5);
        // why: an update that only shrinks is never refused, so a profile can always be trimmed.
        assertThat(engage(update("\"fat\"", "$unset", "[\"s0\"]")).statusCode()).isEqualTo(200);
    }

    // ---- 12: lone surrogates and id length ----

    @Test
    void lone_surrogates_in_ids_are_refused_everywhere_an_id_enters() {
        start(b -> b);
        for (String id : new String[] {"\"\\ud800\"", "\"a\\udc00\"", "\"\\ud83d x\""}) {
            assertLegacyRefusal(server.http.postJson("/track?verbose=1", track(id), null), "surrogate");
            assertLegacyRefusal(engage(update(id, "$set", "{\"a\":1}")), "surrogate");
            HttpResponse<String> imports = server.http.postJson("/import?strict=1", "[{\"event\":\"E\",\"properties\":{"
                    + "\"distinct_id\":" + id + ",\"time\":1790000000,\"$insert_id\":\"i1\"}}]", Http.basic(project.apiSecret(), ""));
            assertThat(imports.statusCode()).isEqualTo(400);
            assertThat(imports.body()).contains("surrogate");
            HttpResponse<String> gdpr = server.http.gdpr("POST", Http.DELETIONS, project.authorization(), project.token(),
                    "{\"distinct_ids\":[" + id + "]}");
            assertThat(gdpr.statusCode()).isEqualTo(400);
            assertThat(gdpr.body()).contains("surrogate");
        }
        assertThat(server.http.postJson("/track?verbose=1", track("\"\\ud83d\\ude00\""), null).statusCode()).isEqualTo(200);
        assertThat(Tables.dump(server.app.db(), List.of("events")).toString()).doesNotContain("?");
    }

    @Test
    void an_id_is_counted_in_characters_the_same_way_at_ingestion_and_in_the_gdpr_api() {
        start(b -> b);
        String emoji255 = "\uD83D\uDE00".repeat(255);
        String emoji256 = emoji255 + "\uD83D\uDE00";
        assertThat(server.http.postJson("/track?verbose=1", track(Json.write(emoji255)), null).statusCode()).isEqualTo(200);
        assertThat(engage(update(Json.write(emoji255), "$set", "{\"a\":1}")).statusCode()).isEqualTo(200);
        assertThat(server.http.gdpr("POST", Http.DELETIONS, project.authorization(), project.token(),
                Json.write(Map.of("distinct_ids", List.of(emoji255)))).statusCode()).isEqualTo(201);
        assertLegacyRefusal(server.http.postJson("/track?verbose=1", track(Json.write(emoji256)), null), "longer than 255");
        assertThat(server.http.gdpr("POST", Http.RETRIEVALS, project.authorization(), project.token(),
                Json.write(Map.of("distinct_ids", List.of(emoji256)))).statusCode()).isEqualTo(400);
    }

    // ---- 14: lost update ----

    @Test
    void concurrent_adds_and_unions_on_one_profile_lose_nothing() throws Exception {
        start(b -> b);
        int threads = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(engage(update("\"shared\"", "$add", "{\"n\":1}")).statusCode()).isEqualTo(200);
                        assertThat(engage(update("\"shared\"", "$union", "{\"tags\":[\"t" + thread + "-" + i + "\"]}"))
                                .statusCode()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(profile("shared").get("n").asLong()).isEqualTo(threads * each);
        assertThat(profile("shared").get("tags")).hasSize(threads * each);
    }

    // ---- a method override ----

    @Test
    void a_get_carrying_a_method_override_stays_a_get() {
        start(b -> b);
        String deletion = server.http.create(Http.DELETIONS, project.authorization(), project.token(), "victim");
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(
                        server.http.uri(Http.DELETIONS + "/" + deletion + "?token=" + project.token()))
                .header("Authorization", project.authorization()).header("X-HTTP-Method-Override", "DELETE").GET());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.readTrusted(r.body()).path("results").path("status").asText()).isEqualTo("PENDING");
        assertThat(server.http.check(Http.DELETIONS, project.authorization(), project.token(), deletion).path("status").asText())
                .as("not cancelled").isEqualTo("PENDING");
    }

    // ---- 7: /import credentials before the body ----

    @Test
    void import_refuses_wrong_credentials_before_it_reads_the_body() {
        start(b -> b);
        byte[] garbage = {'d', 'a', 't', 'a', '=', (byte) 0xff, (byte) 0xfe};
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(server.http.uri("/import?verbose=1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", Http.basic("not-the-secret", ""))
                .POST(HttpRequest.BodyPublishers.ofByteArray(garbage)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        HttpResponse<String> keys = server.http.send(HttpRequest.newBuilder(server.http.uri("/track?verbose=1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("verbose=1" + uniqueKeys(1500))));
        assertLegacyRefusal(keys, "more than 1000 parameters");
    }

    private static String uniqueKeys(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("&k").append(i).append("=v");
        }
        return sb.toString();
    }

    // ---- 9: file modes ----

    @Test
    void data_files_and_archives_are_readable_by_their_owner_only() {
        start(b -> b.encryptArchives(false));
        assertThat(server.http.postJson("/track", track("\"alice\""), null).body()).isEqualTo("1");
        String retrieval = server.http.create(Http.RETRIEVALS, project.authorization(), project.token(), "alice");
        Engines.drain(server.app.engine());
        assertThat(server.http.check(Http.RETRIEVALS, project.authorization(), project.token(), retrieval).path("status").asText())
                .isEqualTo("SUCCESS");
        Path data = server.app.config().store().dataDir();
        List<Path> files = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        try (var walk = Files.walk(data)) {
            walk.forEach(p -> (Files.isDirectory(p) ? folders : files).add(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith(".zip"));
        if (server.app.db().kind() == dev.lethe.store.StoreKind.SQLITE) {
            assertThat(files).anyMatch(p -> p.getFileName().toString().equals("lethe.db-wal"));
            assertThat(files).anyMatch(p -> p.getFileName().toString().equals("lethe.db-shm"));
        }
        for (Path f : files) {
            assertThat(mode(f)).as(data.relativize(f).toString()).isEqualTo("rw-------");
        }
        for (Path d : folders) {
            assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
        }
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- 10: a password per archive ----

    @Test
    void an_encrypted_archive_has_its_own_password_shown_once_and_the_api_secret_does_not_open_it() throws Exception {
        start(b -> b.encryptArchives(true));
        assertThat(server.http.postJson("/track", track("\"alice\""), null).body()).isEqualTo("1");
        String retrieval = server.http.create(Http.RETRIEVALS, project.authorization(), project.token(), "alice");
        Engines.drain(server.app.engine());
        JsonNode first = server.http.check(Http.RETRIEVALS, project.authorization(), project.token(), retrieval);
        String password = first.path("archive_password").asText();
        assertThat(password).hasSize(32);
        assertThat(server.http.check(Http.RETRIEVALS, project.authorization(), project.token(), retrieval).has("archive_password"))
                .isFalse();
        assertThat(Tables.dump(server.app.db(), Tables.DATA).toString()).doesNotContain(password);

        byte[] zip = server.http.sendBytes(HttpRequest.newBuilder(URI.create(first.path("results").asText())).GET()).body();
        Path file = tmp.resolve("download.zip");
        Files.write(file, zip);
        assertThat(ArchiveContents.read(file, password)).containsKey("events.jsonl");
        assertThatThrownBy(() -> ArchiveContents.read(file, project.apiSecret())).isInstanceOf(Exception.class);
    }

    // ---- 8: slow bodies ----

    @Test
    void bodies_trickled_a_byte_at_a_time_do_not_take_the_server_down() throws Exception {
        start(b -> b.http(new HttpLimits(16, Duration.ofMillis(1500), 512, HttpLimits.DEFAULT_SHUTDOWN_IDLE_TIMEOUT)));
        int port = server.app.port();
        List<Socket> sockets = new ArrayList<>();
        ExecutorService tricklers = Executors.newFixedThreadPool(24);
        try {
            for (int i = 0; i < 24; i++) {
                Socket s = new Socket("127.0.0.1", port);
                sockets.add(s);
                tricklers.submit(() -> trickle(s));
            }
            // why: the tricklers would hold every request thread for their 20 seconds; the health check must still
            // answer while they trickle. Real time is the attack here: the waits let them take the threads first.
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1000);
                HttpResponse<String> health = server.http.send(HttpRequest.newBuilder(server.http.uri("/healthz"))
                        .timeout(Duration.ofSeconds(5)).GET());
                assertThat(health.statusCode()).isEqualTo(200);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            tricklers.shutdownNow();
        }
    }

    @Test
    void a_declared_length_over_the_limit_is_refused_before_the_body_is_awaited() throws Exception {
        start(b -> b);
        for (String path : new String[] {"/track", "/engage", "/groups"}) {
            try (Socket s = new Socket("127.0.0.1", server.app.port())) {
                // why: with 2 of the 20,000,000 bytes sent, an answer can only come from the declared length; a reader
                // that waited for the body would answer only after the read timeout, when this one gives up
                s.setSoTimeout(5_000);
                s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + "application/x-www-form-urlencoded\r\nContent-Length: 20000000\r\n\r\nda").getBytes(StandardCharsets.US_ASCII));
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).as(path).isEqualTo("HTTP/1.1 413");
            }
        }
    }

    private static Void trickle(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("POST /track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (int i = 0; i < 80; i++) {
            out.write('[');
            out.flush();
            Thread.sleep(250);
        }
        return null;
    }
}
