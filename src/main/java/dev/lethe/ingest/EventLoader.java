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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The bulk path behind {@code lethe load}: JSON lines in Mixpanel's raw-export format, each
 * normalised exactly as {@code /import} does, stored in batched transactions. Lines of Mixpanel's
 * profile export ({@link ProfileExport}) in the same file set profiles. Parsing the next batch
 * overlaps with storing the previous one (one writer thread, so batches commit in order).
 */
public final class EventLoader {

    /** One transaction's worth of lines: events, and the profiles among them. */
    private static final class Batch {
        final List<EventIngester.Routed> events;
        final List<ProfileIngester.Routed> profiles = new ArrayList<>();
        final List<GroupIngester.Routed> groups = new ArrayList<>();

        Batch(int size) {
            events = new ArrayList<>(size);
        }

        int size() {
            return events.size() + profiles.size() + groups.size();
        }
    }

    private final EventIngester ingester;
    private final ProfileTarget profiles;
    private final Clock clock;
    private final int batchSize;

    /** A loader of events only: profile lines are rejected. */
    public EventLoader(EventIngester ingester, Clock clock, int batchSize) {
        this(ingester, null, clock, batchSize);
    }

    /** @param profiles where profile lines go, or null to reject them */
    public EventLoader(EventIngester ingester, ProfileTarget profiles, Clock clock, int batchSize) {
        this.ingester = ingester;
        this.profiles = profiles;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Loads every line; {@code progress} is told the running summary after each batch. */
    public LoadSummary load(long projectId, InputStream raw, Consumer<LoadSummary> progress) throws IOException {
        // why: at most one batch waits besides the one being stored (see settle), so memory stays at a
        // few batches; the queue holds two because a finished batch's future completes before the
        // writer thread takes the next one from the queue.
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2),
                r -> {
                    Thread t = new Thread(r, "lethe-load-writer");
                    t.setDaemon(true);
                    return t;
                });
        try {
            return load(projectId, raw, progress, writer);
        } finally {
            writer.shutdownNow();
        }
    }

    private LoadSummary load(long projectId, InputStream raw, Consumer<LoadSummary> progress,
                             ThreadPoolExecutor writer) throws IOException {
        LoadSummary summary = new LoadSummary();
        List<Future<?>> pending = new ArrayList<>();
        Batch batch = new Batch(batchSize);
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
                        settle(pending, 1);
                        pending.add(flush(batch, summary, progress, writer));
                        batch = new Batch(batchSize);
                    }
                }
                partial.write(buf, lineStart, n - lineStart);
            }
        }
        addLine(projectId, partial.toByteArray(), batch, summary);
        if (batch.size() > 0) {
            settle(pending, 1);
            pending.add(flush(batch, summary, progress, writer));
        }
        settle(pending, 0);
        return summary;
    }

    private Future<?> flush(Batch batch, LoadSummary summary, Consumer<LoadSummary> progress, ThreadPoolExecutor writer) {
        return writer.submit(() -> {
            // why: lethe load is the operator with the store in hand, as trusted as the api_secret.
            EventIngester.Outcome outcome = batch.events.isEmpty() ? null : ingester.ingest(batch.events, "load", Credential.SECRET);
            int users = batch.profiles.isEmpty() ? 0 : profiles.users().apply(batch.profiles);
            int groups = batch.groups.isEmpty() ? 0 : profiles.groups().apply(batch.groups);
            synchronized (summary) {
                if (outcome != null) {
                    summary.add(outcome);
                }
                summary.addProfiles(users + groups, batch.profiles.size() - users);
                progress.accept(summary);
            }
        });
    }

    /** Waits until at most {@code keep} batches are unstored, rethrowing the failure of any stored one. */
    private static void settle(List<Future<?>> pending, int keep) {
        while (pending.size() > keep || !pending.isEmpty() && pending.get(0).isDone()) {
            try {
                pending.remove(0).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading", e);
            }
        }
    }

    private void addLine(long projectId, byte[] line, Batch batch, LoadSummary summary) {
        if (isBlank(line)) {
            return;
        }
        JsonNode record;
        try {
            record = Json.readTree(line);
        } catch (IOException e) {
            // why: JsonProcessingException is an IOException; a byte array has no other read failure.
            reject(summary, "invalid JSON");
            return;
        }
        if (ProfileExport.isPage(record)) {
            record.get("results").forEach(profile -> addProfile(projectId, profile, batch, summary));
        } else if (ProfileExport.isProfile(record)) {
            addProfile(projectId, record, batch, summary);
        } else {
            try {
                batch.events.add(new EventIngester.Routed(projectId, EventNormalizer.normalize(record, Validation.IMPORT, clock.millis())));
            } catch (InvalidRecord e) {
                reject(summary, e.getMessage());
            }
        }
    }

    private void addProfile(long projectId, JsonNode record, Batch batch, LoadSummary summary) {
        if (profiles == null) {
            reject(summary, "a profile, and this load takes events only");
            return;
        }
        try {
            if (profiles.isGroups()) {
                batch.groups.add(new GroupIngester.Routed(projectId, ProfileExport.group(record, profiles.groupKey())));
            } else {
                batch.profiles.add(new ProfileIngester.Routed(projectId, ProfileExport.profile(record)));
            }
        } catch (InvalidRecord e) {
            reject(summary, e.getMessage());
        }
    }

    private static void reject(LoadSummary summary, String reason) {
        synchronized (summary) {
            summary.reject(reason);
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
