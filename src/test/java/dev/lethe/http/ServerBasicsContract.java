package dev.lethe.http;

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
    void preflight_echoes_the_origin_with_credentials() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/track/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    }
}
