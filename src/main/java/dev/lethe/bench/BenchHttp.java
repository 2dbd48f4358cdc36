package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** A real client of one Lethe instance: the GDPR API with a bearer token, and /import. */
final class BenchHttp {

    static final String DELETIONS = "/api/app/data-deletions/v3.0";
    static final String RETRIEVALS = "/api/app/data-retrievals/v3.0";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String projectToken;
    private final String bearer;

    BenchHttp(String base, String projectToken, String gdprToken) {
        this.base = base;
        this.projectToken = projectToken;
        this.bearer = "Bearer " + gdprToken;
    }

    /** Creates a task for these ids; returns its tracking id. */
    String create(String kindPath, List<String> ids) {
        String body = Json.write(Json.object().set("distinct_ids", Json.MAPPER.valueToTree(ids)));
        JsonNode reply = json(send(HttpRequest.newBuilder(uri(kindPath)).header("Authorization", bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 201));
        return reply.get("results").get("tracking_id").asText();
    }

    /** The {@code results} of a status check. */
    JsonNode check(String kindPath, String trackingId) {
        return json(send(HttpRequest.newBuilder(uri(kindPath + "/" + trackingId)).header("Authorization", bearer).GET(), 200))
                .get("results");
    }

    /** Downloads a signed link; returns the bytes received. */
    long download(String link) {
        HttpResponse<InputStream> r = raw(HttpRequest.newBuilder(URI.create(link)).GET(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("download answered " + r.statusCode());
            }
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs one prepared /import body (gzip when {@code gzip}); returns the records imported. */
    long importBatch(String apiSecret, byte[] body, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/import?strict=0"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((apiSecret + ":").getBytes()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        return json(send(b, 200)).get("num_records_imported").asLong();
    }

    private URI uri(String path) {
        return URI.create(base + path + "?token=" + projectToken);
    }

    private String send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> r = raw(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri().getPath() + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        return r.body();
    }

    private <T> HttpResponse<T> raw(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.timeout(Duration.ofMinutes(10)).build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(String body) {
        return Json.readTrusted(body);
    }
}
