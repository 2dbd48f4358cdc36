package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Figures (h) and (i): Mixpanel's read side as a pipeline uses it. The whole project exported as NDJSON through
 * {@code GET /api/2.0/export} (read as a stream, counted line by line), and every profile paged through
 * {@code POST /api/2.0/engage} a thousand at a time, following {@code session_id}.
 */
final class ReadRunner {

    /** What a read run took: how many items (events or pages), bytes, wall and CPU seconds. */
    record Outcome(long items, long bytes, double seconds, double cpuSeconds) {
        double perSecond() {
            return items / seconds;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String authorization;

    ReadRunner(String baseUrl, String apiSecret) {
        this.base = baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((apiSecret + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** Exports every event between the two days (inclusive, UTC) and counts the lines. */
    Outcome export(String fromDate, String toDate) {
        long cpu = cpuNanos();
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/2.0/export?from_date=" + fromDate + "&to_date=" + toDate))
                .header("Authorization", authorization).GET().build();
        long lines = 0;
        long bytes = 0;
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("export answered " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = r.body()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("export failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Outcome(lines, bytes, (System.nanoTime() - start) / 1e9, (cpuNanos() - cpu) / 1e9);
    }

    /** Pages through every profile, {@code pageSize} a page, as an engage client does. */
    Outcome engagePages(int pageSize) {
        long cpu = cpuNanos();
        long start = System.nanoTime();
        long pages = 0;
        long bytes = 0;
        String session = null;
        int page = 0;
        while (true) {
            String form = "page_size=" + pageSize + "&page=" + page
                    + (session == null ? "" : "&session_id=" + URLEncoder.encode(session, StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/2.0/engage"))
                    .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            String body;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("engage answered " + r.statusCode() + ": " + r.body());
                }
                body = r.body();
            } catch (IOException e) {
                throw new IllegalStateException("engage failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            bytes += body.length();
            JsonNode json = Json.readTrusted(body);
            if (json.path("results").isEmpty()) {
                break;
            }
            pages++;
            session = json.path("session_id").asText(null);
            page++;
        }
        return new Outcome(pages, bytes, (System.nanoTime() - start) / 1e9, (cpuNanos() - cpu) / 1e9);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
