package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures (b), (c) and (d): GDPR tasks end to end through the HTTP API, from the first POST
 * to the last task seen SUCCESS (and, for retrievals, its archive downloaded).
 */
final class GdprRunner {

    /** @param bytes archive bytes downloaded (retrievals) */
    record Outcome(double seconds, List<String> trackingIds, long bytes) {
    }

    private static final long MIN_PAUSE_MS = 5;
    private static final long MAX_PAUSE_MS = 40;

    private final BenchHttp http;
    private final int clients;

    GdprRunner(BenchHttp http, int clients) {
        this.http = http;
        this.clients = clients;
    }

    /** One request per person, each naming the person's canonical id only: Lethe must follow the links. */
    Outcome run(String kindPath, List<String> personIds) {
        long start = System.nanoTime();
        List<String> tracking = Collections.synchronizedList(new ArrayList<>());
        Parallel.forEach(clients, personIds, id -> tracking.add(http.create(kindPath, List.of(id))));
        AtomicLong bytes = new AtomicLong();
        List<String> ordered = new ArrayList<>(tracking);
        // why: workers take tasks oldest first, so the first unfinished task in creation order is where
        // to wait; sweeping all of them on every round would compete with the workers for the 2 cores.
        // The pause doubles while that task stays unfinished (a status GET costs the server about as
        // much CPU as a small deletion, so polling it every 5 ms took a large share of the cores the
        // workers need) and drops back once a task finishes: the end is seen at most MAX_PAUSE late.
        int i = 0;
        long pause = MIN_PAUSE_MS;
        while (i < ordered.size()) {
            JsonNode status = http.check(kindPath, ordered.get(i));
            String s = status.get("status").asText();
            switch (s) {
                case "SUCCESS" -> {
                    if (kindPath.equals(BenchHttp.RETRIEVALS)) {
                        bytes.addAndGet(http.download(status.get("results").asText()));
                    }
                    i++;
                    pause = MIN_PAUSE_MS;
                }
                case "PENDING", "STAGING", "STARTED" -> {
                    pause(pause);
                    pause = Math.min(MAX_PAUSE_MS, pause * 2);
                }
                default -> throw new IllegalStateException("task " + ordered.get(i) + " ended " + s);
            }
        }
        return new Outcome((System.nanoTime() - start) / 1e9, List.copyOf(ordered), bytes.get());
    }

    /**
     * @param cpuSeconds CPU time this process (server and clients) spent meanwhile: on a shared
     *                   machine requests per CPU-second moves less with the neighbours than requests per second
     */
    record Throughput(int requests, double seconds, double cpuSeconds) {
        double perSecond() {
            return requests / seconds;
        }

        double perCpuSecond() {
            return requests / cpuSeconds;
        }
    }

    /** Status GETs spread over the given tasks by concurrent clients. */
    Throughput statusThroughput(String kindPath, List<String> trackingIds, int requests) {
        List<String> calls = new ArrayList<>(requests);
        for (int n = 0; n < requests; n++) {
            calls.add(trackingIds.get(n % trackingIds.size()));
        }
        double cpu = IngestRunner.processCpuSeconds();
        long start = System.nanoTime();
        Parallel.forEach(clients, calls, id -> {
            if (!http.check(kindPath, id).get("status").asText().equals("SUCCESS")) {
                throw new IllegalStateException("task " + id + " is no longer SUCCESS");
            }
        });
        return new Throughput(requests, (System.nanoTime() - start) / 1e9, IngestRunner.processCpuSeconds() - cpu);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
