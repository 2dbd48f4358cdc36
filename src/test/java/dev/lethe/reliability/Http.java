package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import dev.lethe.testing.TestHttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A real HTTP client for one Lethe base URL, shared by threads. */
final class Http {

    static final String DELETIONS = "/api/app/data-deletions/v3.0";
    static final String RETRIEVALS = "/api/app/data-retrievals/v3.0";

    private final String baseUrl;
    private final HttpClient client = TestHttp.client();

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(TestHttp.closing(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        try {
            return client.send(TestHttp.closing(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /** A GDPR API call with a bearer token (or any Authorization header) and the project token. */
    HttpResponse<String> gdpr(String method, String path, String authorization, String projectToken, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path + (path.contains("?") ? "&" : "?") + "token=" + projectToken))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    /** Creates a task and returns its tracking id, failing on anything but 201. */
    String create(String kindPath, String authorization, String projectToken, String... ids) {
        HttpResponse<String> r = gdpr("POST", kindPath, authorization, projectToken,
                Json.write(java.util.Map.of("distinct_ids", java.util.List.of(ids))));
        if (r.statusCode() != 201) {
            throw new AssertionError("create answered " + r.statusCode() + ": " + r.body());
        }
        return Json.readTrusted(r.body()).path("results").path("tracking_id").asText();
    }

    /** The {@code results} of a verbose check. */
    JsonNode check(String kindPath, String authorization, String projectToken, String trackingId) {
        HttpResponse<String> r = gdpr("GET", kindPath + "/" + trackingId + "?verbose=1", authorization, projectToken, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("check answered " + r.statusCode() + ": " + r.body());
        }
        return Json.readTrusted(r.body()).path("results");
    }

    HttpResponse<String> postJson(String pathAndQuery, String json, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
