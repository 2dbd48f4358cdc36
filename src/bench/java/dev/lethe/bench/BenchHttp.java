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
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real client of one Lethe instance: the GDPR API with a bearer token, and /import. Like a
 * careful client, it retries an answer of 503 (store busy, e.g. during a rebuild of the embedded
 * store) or 429 (rate or admission limit) after the {@code Retry-After} the server gave, for at most
 * {@link #RETRY_BUDGET} a request, and counts the retries so the report can show them.
 */
final class BenchHttp {

    /** The longest a request keeps being retried, waits summed, before its answer is taken as final. */
    static final Duration RETRY_BUDGET = Duration.ofMinutes(5);
    /** The wait when a 503/429 carries no usable {@code Retry-After}. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    static final String DELETIONS = "/api/app/data-deletions/v3.0";
    static final String RETRIEVALS = "/api/app/data-retrievals/v3.0";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String projectToken;
    private final String bearer;
    private final LongAdder retries;

    /** @param retries counts every retried request, across the clients that share it */
    BenchHttp(String base, String projectToken, String gdprToken, LongAdder retries) {
        this.base = base;
        this.projectToken = projectToken;
        this.bearer = "Bearer " + gdprToken;
        this.retries = retries;
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
        return importBatch(apiSecret, body, gzip, false);
    }

    /**
     * POSTs one prepared /import body; with {@code strict}, as bulk-import tools send it
     * ({@code strict=1}), where a batch with invalid records answers 400 after storing the valid ones.
     */
    long importBatch(String apiSecret, byte[] body, boolean gzip, boolean strict) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/import?strict=" + (strict ? 1 : 0)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((apiSecret + ":").getBytes()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        HttpResponse<String> r = raw(b, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && !(strict && r.statusCode() == 400 && r.body().contains("failed_records"))) {
            throw new IllegalStateException("POST /import answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body()).get("num_records_imported").asLong();
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
        HttpRequest built = request.timeout(Duration.ofMinutes(10)).build();
        Duration waited = Duration.ZERO;
        try {
            while (true) {
                HttpResponse<T> r = http.send(built, handler);
                if (r.statusCode() != 503 && r.statusCode() != 429) {
                    return r;
                }
                Duration wait = retryDelay(r.headers().firstValue("Retry-After"));
                if (waited.plus(wait).compareTo(RETRY_BUDGET) > 0) {
                    return r;
                }
                if (r.body() instanceof InputStream in) {
                    in.close();
                }
                retries.increment();
                Thread.sleep(wait.toMillis());
                waited = waited.plus(wait);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The wait a {@code Retry-After} asks for: whole seconds (an HTTP date or garbage gives the default). */
    static Duration retryDelay(Optional<String> retryAfter) {
        try {
            long seconds = Long.parseLong(retryAfter.orElse("").trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : DEFAULT_RETRY_AFTER;
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static JsonNode json(String body) {
        return Json.readTrusted(body);
    }
}
