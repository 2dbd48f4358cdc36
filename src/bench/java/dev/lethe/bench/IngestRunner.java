package dev.lethe.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.EventLoader;
import dev.lethe.ingest.LoadSummary;
import dev.lethe.json.Json;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/** Figure (a): events per second through the bulk path ({@code lethe load}) and through {@code /import}. */
final class IngestRunner {

    static final int IMPORT_BATCH = 2000;
    static final int LOAD_BATCH = 20000;

    /**
     * @param events     rows stored
     * @param seconds    wall time of the storing only
     * @param cpuSeconds CPU time this process spent meanwhile, all threads: on a shared machine
     *                   it says what the work costs whatever else runs
     */
    record Outcome(long events, double seconds, double cpuSeconds) {
        double perSecond() {
            return events / seconds;
        }

        double perCpuSecond() {
            return events / cpuSeconds;
        }
    }

    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private IngestRunner() {
    }

    /** Writes the events as JSON lines (not timed). */
    static void writeLines(Path file, Consumer<Consumer<ObjectNode>> events) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            events.accept(e -> writeLine(out, e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a JSON-lines file with the code of {@code lethe load}; timed. */
    static Outcome load(EventIngester ingester, long projectId, Path file) {
        long start = System.nanoTime();
        double cpu = processCpuSeconds();
        try (InputStream in = Files.newInputStream(file)) {
            LoadSummary s = new EventLoader(ingester, Clock.systemUTC(), LOAD_BATCH).load(projectId, in, x -> { });
            return new Outcome(s.loaded(), (System.nanoTime() - start) / 1e9, processCpuSeconds() - cpu);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads events generated on the fly (filler of the big store: too big for a file, and not a figure). */
    static long loadGenerated(EventIngester ingester, long projectId, Consumer<Consumer<ObjectNode>> events) {
        try (PipedInputStream in = new PipedInputStream(1 << 20)) {
            PipedOutputStream pipe = new PipedOutputStream(in);
            Thread writer = new Thread(() -> {
                try (OutputStream out = new BufferedOutputStream(pipe, 1 << 16)) {
                    events.accept(e -> writeLine(out, e));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "bench-generator");
            writer.start();
            LoadSummary s = new EventLoader(ingester, Clock.systemUTC(), LOAD_BATCH).load(projectId, in, x -> { });
            writer.join();
            return s.loaded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Prepares gzip bodies of {@value #IMPORT_BATCH} events (not timed). */
    static List<byte[]> importBodies(Consumer<Consumer<ObjectNode>> events) {
        return importBodies(events, 0);
    }

    /**
     * Prepares gzip bodies of {@value #IMPORT_BATCH} events, every {@code invalidEvery}-th without its
     * {@code $insert_id}, which {@code strict=1} refuses (0: all valid; not timed).
     */
    static List<byte[]> importBodies(Consumer<Consumer<ObjectNode>> events, int invalidEvery) {
        List<byte[]> bodies = new ArrayList<>();
        ArrayNode[] batch = {Json.MAPPER.createArrayNode()};
        long[] n = {0};
        events.accept(e -> {
            if (invalidEvery > 0 && n[0]++ % invalidEvery == invalidEvery - 1) {
                ((ObjectNode) e.get("properties")).remove("$insert_id");
            }
            batch[0].add(e);
            if (batch[0].size() == IMPORT_BATCH) {
                bodies.add(gzip(batch[0]));
                batch[0] = Json.MAPPER.createArrayNode();
            }
        });
        if (!batch[0].isEmpty()) {
            bodies.add(gzip(batch[0]));
        }
        return bodies;
    }

    /** POSTs the bodies to /import with concurrent clients; timed. */
    static Outcome importAll(BenchHttp http, String apiSecret, List<byte[]> bodies, int clients) {
        return importAll(http, apiSecret, bodies, clients, false);
    }

    /** POSTs the bodies to /import ({@code strict=1} when {@code strict}) with concurrent clients; timed. */
    static Outcome importAll(BenchHttp http, String apiSecret, List<byte[]> bodies, int clients, boolean strict) {
        AtomicLong imported = new AtomicLong();
        long start = System.nanoTime();
        double cpu = processCpuSeconds();
        Parallel.forEach(clients, bodies, body -> imported.addAndGet(http.importBatch(apiSecret, body, true, strict)));
        return new Outcome(imported.get(), (System.nanoTime() - start) / 1e9, processCpuSeconds() - cpu);
    }

    private static byte[] gzip(ArrayNode batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            Json.MAPPER.writeValue(out, batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeLine(OutputStream out, ObjectNode event) {
        try {
            out.write(Json.MAPPER.writeValueAsBytes(event));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
