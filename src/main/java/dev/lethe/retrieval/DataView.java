package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Data view: {@code events.jsonl} ({@code {"event": ..., "properties": {...}}} a line,
 * with {@code distinct_id}, {@code time} in epoch milliseconds and {@code $insert_id} inside
 * the properties) and {@code profiles.jsonl} ({@code {"$distinct_id": ..., "$properties": {...}}}
 * a line). Each row is written as it is read.
 */
final class DataView {

    private DataView() {
    }

    static void write(ArchiveWriter w, Export x, ExportReader reader) throws IOException {
        try (OutputStream out = w.entry("events.jsonl")) {
            reader.forEachEvent(x, e -> {
                writeLine(out, eventLine(e));
                x.countEvent();
            });
        }
        try (OutputStream out = w.entry("profiles.jsonl")) {
            reader.forEachProfile(x, (id, properties) -> {
                ObjectNode line = Json.object();
                line.put("$distinct_id", id);
                line.set("$properties", properties);
                writeLine(out, line);
                x.countProfile();
            });
        }
    }

    static ObjectNode eventLine(EventRecord e) {
        JsonNode stored = Json.readTrusted(e.propertiesJson());
        ObjectNode properties = stored instanceof ObjectNode o ? o : Json.object();
        properties.put("distinct_id", e.distinctId());
        properties.put("time", e.timeMs());
        properties.put("$insert_id", e.insertId());
        ObjectNode line = Json.object();
        line.put("event", e.event());
        line.set("properties", properties);
        return line;
    }

    /** Writes one JSON document and a newline; the stream stays open for the next line. */
    static void writeLine(OutputStream out, JsonNode node) {
        try {
            out.write(Json.MAPPER.writeValueAsBytes(node));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
