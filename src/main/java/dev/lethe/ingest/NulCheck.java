package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Refuses U+0000 anywhere in a record, keys included. PostgreSQL cannot store it (neither in
 * {@code text} nor as {@code \u0000} in {@code jsonb}); refusing it on every store keeps the
 * embedded and the server store accepting exactly the same records. A raw NUL byte never gets
 * this far: it is not allowed unescaped in JSON, so the parser already refuses it.
 */
final class NulCheck {

    private NulCheck() {
    }

    /** @throws InvalidRecord naming {@code field} when a key or string value holds U+0000 */
    static void reject(JsonNode node, String field) {
        if (holdsNul(node)) {
            throw new InvalidRecord(field, field + " contains a NUL character (\\u0000), which Lethe does not store");
        }
    }

    private static boolean holdsNul(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().indexOf('\0') >= 0 || holdsNul(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
