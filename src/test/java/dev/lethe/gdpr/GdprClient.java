package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.testing.TestServer;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP client of the GDPR API. Every response it receives is checked against the
 * OpenAPI document before the test sees it.
 */
final class GdprClient {

    static final String DELETIONS = "/api/app/data-deletions/v3.0";
    static final String RETRIEVALS = "/api/app/data-retrievals/v3.0";

    /** A response with its body parsed when it is JSON. */
    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return Json.readTrusted(body);
        }

        JsonNode results() {
            return json().get("results");
        }

        String error() {
            return json().get("error").asText();
        }

        String trackingId() {
            return results().get("tracking_id").asText();
        }
    }

    private final TestServer server;

    GdprClient(TestServer server) {
        this.server = server;
    }

    Response createDeletion(Caller c, String body) {
        return call("POST", DELETIONS, c, body);
    }

    Response createRetrieval(Caller c, String body) {
        return call("POST", RETRIEVALS, c, body);
    }

    Response checkDeletion(Caller c, String trackingId) {
        return call("GET", DELETIONS + "/" + trackingId, c, null);
    }

    Response checkRetrieval(Caller c, String trackingId) {
        return call("GET", RETRIEVALS + "/" + trackingId, c, null);
    }

    Response cancelDeletion(Caller c, String trackingId) {
        return call("DELETE", DELETIONS + "/" + trackingId, c, null);
    }

    Response cancelRetrieval(Caller c, String trackingId) {
        return call("DELETE", RETRIEVALS + "/" + trackingId, c, null);
    }

    /** {@code extraQuery} is appended as is, e.g. {@code "&verbose=1"}. */
    Response call(String method, String path, Caller c, String body, String extraQuery) {
        String query = c.projectToken() == null ? "" : "?token=" + URLEncoder.encode(c.projectToken(), StandardCharsets.UTF_8);
        if (!extraQuery.isEmpty()) {
            query = query.isEmpty() ? "?" + extraQuery.substring(1) : query + extraQuery;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path + query))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (c.authorization() != null) {
            request.header("Authorization", c.authorization());
        }
        HttpResponse<String> raw = server.send(request);
        OpenApiSpec.assertDescribes(method, path, raw);
        return new Response(raw.statusCode(), raw.body(), raw);
    }

    Response call(String method, String path, Caller c, String body) {
        return call(method, path, c, body, "");
    }

    /** A create body with these ids and nothing else. */
    static String ids(String... ids) {
        return Json.write(Map.of("distinct_ids", List.of(ids)));
    }

    /** A create body from alternating field names and values. */
    static String body(Object... fieldsAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return Json.write(m);
    }
}
