package dev.lethe.query;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventStore;
import dev.lethe.store.Sealer;
import dev.lethe.event.PropertyShape;
import dev.lethe.json.Json;
import dev.lethe.suppression.SuppressionStore;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The raw event export: a project's events as Mixpanel's export shapes them, one JSON object a
 * line, in time order. Reads the store a chunk at a time, the next chunk while the last is opened and written
 * ({@link ExportChunks}), so memory stays at three chunks whatever the range; events of suppressed ids are
 * left out (a deletion in progress holds its ids suppressed, so they never leak mid-deletion).
 */
public final class EventExport {

    /** Rows read per store query: large enough that queries are a small part of the time, small enough to hold. */
    static final int CHUNK = 2_000;

    private final EventStore events;
    private final SuppressionStore suppressions;

    public EventExport(EventStore events, SuppressionStore suppressions) {
        this.events = events;
        this.suppressions = suppressions;
    }

    /** Writes the export to {@code out}; returns how many events it wrote. Does not close {@code out}. */
    public long write(long projectId, ExportRequest request, OutputStream out) throws IOException {
        long written = 0;
        long limit = request.limit() == null ? Long.MAX_VALUE : request.limit();
        Set<String> names = request.events() == null ? null : Set.copyOf(request.events());
        // why: one sealer for the whole export, so each person's key is unwrapped once, not once a chunk
        Sealer keys = events.readerSealer();
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
             ExportChunks<EventStore.Unopened> chunks = new ExportChunks<>(
                     last -> read(projectId, request, last), chunk -> chunk.size() < CHUNK)) {
            gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            gen.setRootValueSeparator(null);
            for (EventStore.Unopened chunk = chunks.next(); chunk != null && written < limit; chunk = chunks.next()) {
                List<EventStore.EncodedRow> rows = chunk.openEncoded(keys);
                // why: checked a chunk at a time, as it is written, so a suppression (or a deletion's hold) made
                // during the export applies from then on
                Set<String> suppressed = suppressedIn(projectId, rows);
                for (EventStore.EncodedRow row : rows) {
                    if (written >= limit) {
                        break;
                    }
                    // why: a row whose key is gone (an erased person's row restored from a backup) is erased content
                    if (row.readable() && (names == null || names.contains(row.event()))
                            && !isSuppressed(row, suppressed) && writeRow(gen, row, request)) {
                        written++;
                    }
                }
                gen.flush();
            }
        }
        return written;
    }

    /** The chunk after {@code last} (null: the first), still sealed; null when the range has no more. */
    private EventStore.Unopened read(long projectId, ExportRequest request, EventStore.Unopened last) {
        EventStore.TimePosition after = last == null ? EventStore.TimePosition.START : last.last();
        EventStore.Unopened chunk = events.timeRangeUnopened(projectId, request.fromMs(), request.toMs(), after, CHUNK);
        return chunk.size() == 0 ? null : chunk;
    }

    private Set<String> suppressedIn(long projectId, List<EventStore.EncodedRow> chunk) {
        if (!suppressions.hasAny(projectId)) {
            return Set.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        chunk.stream().filter(EventStore.EncodedRow::readable).forEach(r -> ids.add(r.distinctId()));
        return suppressions.suppressedAmong(projectId, ids);
    }

    /** Decodes the row's id only when the chunk has suppressed ids: the line itself is written from the stored bytes. */
    private static boolean isSuppressed(EventStore.EncodedRow row, Set<String> suppressed) {
        return !suppressed.isEmpty() && suppressed.contains(row.distinctId());
    }

    /** Writes one line unless the filter refuses it; returns whether it wrote. */
    private static boolean writeRow(JsonGenerator gen, EventStore.EncodedRow row, ExportRequest request) throws IOException {
        if (request.where().matchesAll()) {
            gen.writeStartObject();
            gen.writeStringField("event", row.event());
            gen.writeFieldName("properties");
            gen.writeStartObject();
            writeFixed(gen, row, request.timeInMs());
            Sealer.Encoded fields = row.fields();
            int properties = fields.from(EventStore.EncodedRow.PROPERTIES);
            copyOwn(gen, fields.bytes(), properties, properties + fields.length(properties));
            gen.writeEndObject();
            gen.writeEndObject();
            gen.writeRaw('\n');
            return true;
        }
        // why: the filter sees time in seconds whatever time_in_ms says, so one where means one set of events
        ObjectNode properties = shaped(row, false);
        if (!request.where().test(properties)) {
            return false;
        }
        if (request.timeInMs()) {
            properties.put("time", row.timeMs());
        }
        ObjectNode line = Json.object();
        line.put("event", row.event());
        line.set("properties", properties);
        gen.writeTree(line);
        gen.writeRaw('\n');
        return true;
    }

    private static void writeFixed(JsonGenerator gen, EventStore.EncodedRow row, boolean timeInMs) throws IOException {
        gen.writeNumberField("time", timeInMs ? row.timeMs() : Math.floorDiv(row.timeMs(), 1000));
        gen.writeFieldName("distinct_id");
        writeField(gen, row.fields(), EventStore.EncodedRow.DISTINCT_ID);
        gen.writeFieldName("$insert_id");
        writeField(gen, row.fields(), EventStore.EncodedRow.INSERT_ID);
        gen.writeNumberField("mp_processing_time_ms", row.receivedAt());
    }

    /** A string field as a JSON string, escaped from its UTF-8 as stored, not decoded and encoded again. */
    private static void writeField(JsonGenerator gen, Sealer.Encoded fields, int index) throws IOException {
        int from = fields.from(index);
        gen.writeUTF8String(fields.bytes(), from, fields.length(from));
    }

    /**
     * Copies the stored properties in {@code text[from, to)} but the fixed keys, each field as the UTF-8 it was stored
     * as ({@link StoredFields}): nothing is decoded or encoded again. The stored text is JSON Lethe wrote, so a slice
     * is a field.
     */
    static void copyOwn(JsonGenerator gen, byte[] text, int from, int to) throws IOException {
        StoredFields.forEachOwn(text, from, to, (bytes, start, end) -> {
            gen.writeRaw(',');
            gen.writeRaw(new Utf8Slice(bytes, start, end));
        });
    }

    static ObjectNode shaped(EventStore.EncodedRow row, boolean timeInMs) {
        ObjectNode stored = (ObjectNode) Json.readTrusted(row.propertiesJson());
        ObjectNode out = Json.object();
        out.put("time", timeInMs ? row.timeMs() : Math.floorDiv(row.timeMs(), 1000));
        out.put("distinct_id", row.distinctId());
        out.put("$insert_id", row.insertId());
        out.put("mp_processing_time_ms", row.receivedAt());
        stored.fields().forEachRemaining(f -> {
            if (!PropertyShape.FIXED.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        });
        return out;
    }
}
