package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

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
        record Counted(long lines, long bytes) {
        }
        Counted counted = PlainHttp.stream("GET", base + "/api/2.0/export?from_date=" + fromDate + "&to_date=" + toDate,
                Map.of("Authorization", authorization), null, (status, in) -> {
                    if (status != 200) {
                        throw new IllegalStateException("export answered " + status + ": "
                                + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    long lines = 0;
                    long bytes = 0;
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        bytes += n;
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                lines++;
                            }
                        }
                    }
                    return new Counted(lines, bytes);
                });
        return new Outcome(counted.lines(), counted.bytes(), (System.nanoTime() - start) / 1e9, (cpuNanos() - cpu) / 1e9);
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
            PlainHttp.Answer r = PlainHttp.send("POST", base + "/api/2.0/engage", Map.of("Authorization", authorization,
                    "Content-Type", "application/x-www-form-urlencoded"), form.getBytes(StandardCharsets.UTF_8));
            if (r.status() != 200) {
                throw new IllegalStateException("engage answered " + r.status() + ": " + r.text());
            }
            String body = r.text();
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
