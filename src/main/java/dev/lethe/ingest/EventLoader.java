package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The bulk path behind {@code lethe load}: JSON lines in Mixpanel's raw-export format, each
 * normalised exactly as {@code /import} does, stored in batched transactions.
 */
public final class EventLoader {

    private final EventIngester ingester;
    private final Clock clock;
    private final int batchSize;

    public EventLoader(EventIngester ingester, Clock clock, int batchSize) {
        this.ingester = ingester;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Loads every line; {@code progress} is told the running summary after each batch. */
    public LoadSummary load(long projectId, InputStream raw, Consumer<LoadSummary> progress) throws IOException {
        LoadSummary summary = new LoadSummary();
        List<EventIngester.Routed> batch = new ArrayList<>(batchSize);
        ByteArrayOutputStream partial = new ByteArrayOutputStream(1024);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = maybeGunzip(new BufferedInputStream(raw, 1 << 16))) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int lineStart = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    if (partial.size() == 0) {
                        addLine(projectId, Arrays.copyOfRange(buf, lineStart, i), batch, summary);
                    } else {
                        partial.write(buf, lineStart, i - lineStart);
                        addLine(projectId, partial.toByteArray(), batch, summary);
                        partial.reset();
                    }
                    lineStart = i + 1;
                    if (batch.size() >= batchSize) {
                        flush(batch, summary, progress);
                    }
                }
                partial.write(buf, lineStart, n - lineStart);
            }
        }
        addLine(projectId, partial.toByteArray(), batch, summary);
        if (!batch.isEmpty()) {
            flush(batch, summary, progress);
        }
        return summary;
    }

    private void flush(List<EventIngester.Routed> batch, LoadSummary summary, Consumer<LoadSummary> progress) {
        summary.add(ingester.ingest(batch, "load"));
        batch.clear();
        progress.accept(summary);
    }

    private void addLine(long projectId, byte[] line, List<EventIngester.Routed> batch, LoadSummary summary) {
        if (isBlank(line)) {
            return;
        }
        JsonNode record;
        try {
            record = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            // why: JsonProcessingException is an IOException; a byte array has no other read failure.
            summary.reject("invalid JSON");
            return;
        }
        try {
            batch.add(new EventIngester.Routed(projectId, EventNormalizer.normalize(record, Validation.IMPORT, clock.millis())));
        } catch (InvalidRecord e) {
            summary.reject(e.getMessage());
        }
    }

    private static InputStream maybeGunzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        // why: sniff the gzip magic rather than trust the file name; exports get renamed.
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
