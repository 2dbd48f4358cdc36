package dev.lethe.web;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What every endpoint shares: health, JSON errors for unknown paths, CORS. */
abstract class ServerBasicsContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
    }

    @AfterEach
    void stop() {
        // why: null when start() was aborted (PostgreSQL unreachable outside CI).
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthz_answers_ok() {
        HttpResponse<String> r = server.get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void unknown_path_is_a_json_404() {
        HttpResponse<String> r = server.get("/no/such/thing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"error\":\"Endpoint GET /no/such/thing not found\"}");
    }

    @Test
    void a_known_path_asked_with_a_method_it_lacks_is_a_405_naming_the_ones_it_takes() {
        for (String method : new String[] {"PUT", "DELETE", "FOO"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/track"))
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
            assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"error\":\"method not allowed: " + method
                    + " /track takes GET or POST\"}");
        }
        HttpResponse<String> export = server.send(HttpRequest.newBuilder(server.uri("/api/2.0/export")).DELETE());
        assertThat(export.statusCode()).isEqualTo(405);
        assertThat(export.headers().firstValue("Allow")).hasValue("GET");
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/no/such/thing")).DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void head_is_answered_by_the_health_check_only() {
        HttpResponse<String> health = server.send(HttpRequest.newBuilder(server.uri("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(health.statusCode()).isEqualTo(200);
        for (String[] pathAndAllowed : new String[][] {{"/api/2.0/export", "GET"}, {"/track?data=garbage", "GET, POST"}}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(pathAndAllowed[0]))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(pathAndAllowed[0]).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue(pathAndAllowed[1]);
        }
    }

    @Test
    void preflight_echoes_the_origin_with_credentials() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/track/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    }
    private HttpResponse<String> withOrigin(String method, String path, String origin) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST"));
    }

    @Test
    void credentialed_cors_only_on_ingestion_paths() {
        for (String path : new String[] {"/track", "/engage/", "/import"}) {
            HttpResponse<String> r = withOrigin("OPTIONS", path, "https://app.example.com");
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).as(path).contains("true");
        }
        for (String path : new String[] {"/api/app/data-retrievals/v3.0", "/api/app/data-deletions/v3.0/abc",
                "/api/2.0/export", "/api/query/insights", "/downloads/abc.zip", "/trackers"}) {
            for (String method : new String[] {"OPTIONS", "GET"}) {
                for (String origin : new String[] {"https://evil.example.com", "null"}) {
                    HttpResponse<String> r = withOrigin(method, path, origin);
                    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).as(method + " " + path).isEmpty();
                    assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(method + " " + path)
                            .doesNotContain(origin);
                }
            }
        }
        assertThat(withOrigin("GET", "/downloads/abc.zip", "https://evil.example.com").headers()
                .firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void every_answer_says_nosniff_and_gdpr_answers_and_downloads_are_not_stored() {
        for (String path : new String[] {"/healthz", "/track?data=x", "/no/such/thing",
                "/api/app/data-retrievals/v3.0?token=x", "/downloads/abc.zip"}) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        }
        for (String path : new String[] {"/api/app/data-retrievals/v3.0?token=x", "/api/app/data-deletions/v3.0/abc?token=x",
                "/downloads/abc.zip", "/downloads/abc.zip?expires=1&signature=00"}) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.headers().firstValue("Cache-Control")).as(path).contains("no-store");
        }
    }
}
