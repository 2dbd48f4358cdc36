package dev.lethe.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Steady ingestion beside the deletions: one client sends a single event to {@code /track} every
 * {@link #PAUSE_MS} ms, each for a new id (so the keystore makes a key too), and records how long each
 * answer took. The longest one is the write stall the deletions caused, if any (a rebuild of the store on
 * the erasure path held every writer for seconds before key destruction).
 */
final class WriteProbe implements AutoCloseable {

    static final int PAUSE_MS = 10;

    /** What the probe saw: how many requests, the longest and the 99th-percentile answer, and the failures. */
    record Stalls(int requests, double maxMs, double p99Ms, int failures) {
    }

    private final String base;
    private final String projectToken;
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private volatile int failures;
    private final Thread thread;

    WriteProbe(String base, String projectToken) {
        this.base = base;
        this.projectToken = projectToken;
        this.thread = new Thread(this::loop, "bench-write-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        // why: at least one request, however short the deletions were
        for (int i = 0; i == 0 || running; i++) {
            String event = "{\"event\":\"Probe\",\"properties\":{\"token\":\"" + projectToken + "\",\"distinct_id\":\"probe-" + i
                    + "\",\"$insert_id\":\"probe-" + i + "\"}}";
            String data = Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8));
            byte[] form = ("data=" + data).getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            try {
                PlainHttp.Answer r = PlainHttp.send("POST", base + "/track",
                        Map.of("Content-Type", "application/x-www-form-urlencoded"), form);
                nanos.add(System.nanoTime() - start);
                if (r.status() != 200 || !"1".equals(r.text())) {
                    failures++;
                }
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                return;
            } catch (java.io.UncheckedIOException e) {
                failures++;
            }
        }
    }

    /** What {@link #during} ran, and what the probe saw meanwhile. */
    record Probed<T>(T result, Stalls stalls) {
    }

    /** Runs {@code work} with a probe sending to {@code base} beside it; the probe stops however the work ends. */
    static <T> Probed<T> during(String base, String projectToken, Supplier<T> work) {
        WriteProbe probe = new WriteProbe(base, projectToken);
        T result;
        Stalls stalls;
        try {
            result = work.get();
        } finally {
            stalls = probe.stop();
        }
        return new Probed<>(result, stalls);
    }

    /** Stops the probe and says what it saw. */
    Stalls stop() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(150).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Stalls(0, 0, 0, failures);
        }
        double max = sorted.get(sorted.size() - 1) / 1e6;
        double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
        return new Stalls(sorted.size(), max, p99, failures);
    }

    @Override
    public void close() {
        running = false;
    }
}
