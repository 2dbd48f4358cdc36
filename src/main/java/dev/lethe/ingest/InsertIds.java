package dev.lethe.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.crypto.Secrets;
import dev.lethe.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * A stable {@code $insert_id} for an event that came without one: a hash of its content with
 * object keys sorted, so the same event sent twice (an SDK retry) is stored once.
 */
final class InsertIds {

    private InsertIds() {
    }

    static String derive(String event, String distinctId, long timeMs, JsonNode properties) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
            g.writeStartArray();
            g.writeString(event);
            g.writeString(distinctId);
            g.writeNumber(timeMs);
            writeCanonical(g, properties);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // why: 32 hex characters fit Mixpanel's 36-character limit on $insert_id.
        return HexFormat.of().formatHex(Secrets.sha256(bytes.toByteArray())).substring(0, 32);
    }

    private static void writeCanonical(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                writeCanonical(g, node.get(name));
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(g, element);
            }
            g.writeEndArray();
        } else {
            g.writeTree(node);
        }
    }
}
