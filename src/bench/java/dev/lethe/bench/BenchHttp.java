package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        JsonNode reply = json(expect(exchange("POST", uri(kindPath), Map.of("Authorization", bearer,
                "Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8)), "POST", kindPath, 201));
        return reply.get("results").get("tracking_id").asText();
    }

    /** The {@code results} of a status check. */
    JsonNode check(String kindPath, String trackingId) {
        String path = kindPath + "/" + trackingId;
        return json(expect(exchange("GET", uri(path), Map.of("Authorization", bearer), null), "GET", path, 200)).get("results");
    }

    /** Downloads a signed link; returns the bytes received. */
    long download(String link) {
        return PlainHttp.stream("GET", link, Map.of(), null, (status, in) -> {
            if (status != 200) {
                throw new IllegalStateException("download answered " + status);
            }
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        });
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
        Map<String, String> headers = new HashMap<>(Map.of(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString((apiSecret + ":").getBytes(StandardCharsets.UTF_8)),
                "Content-Type", "application/json"));
        if (gzip) {
            headers.put("Content-Encoding", "gzip");
        }
        PlainHttp.Answer r = exchange("POST", base + "/import?strict=" + (strict ? 1 : 0), headers, body);
        if (r.status() != 200 && !(strict && r.status() == 400 && r.text().contains("failed_records"))) {
            throw new IllegalStateException("POST /import answered " + r.status() + ": " + r.text());
        }
        return json(r.text()).get("num_records_imported").asLong();
    }

    private String uri(String path) {
        return base + path + "?token=" + projectToken;
    }

    private static String expect(PlainHttp.Answer r, String method, String path, int expected) {
        if (r.status() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.status() + ": " + r.text());
        }
        return r.text();
    }

    private PlainHttp.Answer exchange(String method, String url, Map<String, String> headers, byte[] body) {
        Duration waited = Duration.ZERO;
        try {
            while (true) {
                PlainHttp.Answer r = PlainHttp.send(method, url, headers, body);
                if (r.status() != 503 && r.status() != 429) {
                    return r;
                }
                Duration wait = retryDelay(r.retryAfter());
                if (waited.plus(wait).compareTo(RETRY_BUDGET) > 0) {
                    return r;
                }
                retries.increment();
                Thread.sleep(wait.toMillis());
                waited = waited.plus(wait);
            }
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
