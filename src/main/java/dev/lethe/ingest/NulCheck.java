package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DistinctIds;

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

    /** @throws InvalidRecord naming {@code field} when a key or string value holds U+0000 or a lone surrogate */
    static void reject(JsonNode node, String field) {
        String problem = problem(node);
        if (problem != null) {
            throw new InvalidRecord(field, field + " contains " + problem + ", which Lethe does not store");
        }
    }

    private static String problem(String s) {
        if (s.indexOf('\0') >= 0) {
            return "a NUL character (\\u0000)";
        }
        // why: no store keeps a lone surrogate as sent (both write '?'), so two values would become one.
        if (DistinctIds.hasLoneSurrogate(s)) {
            return "a lone UTF-16 surrogate (such as \\ud800)";
        }
        return null;
    }

    private static String problem(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return problem(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = problem(e.getKey());
                if (p == null) {
                    p = problem(e.getValue());
                }
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                String p = problem(element);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }
}
