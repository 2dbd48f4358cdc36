package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DistinctIds;

import java.util.Iterator;
import java.util.Map;

/**
 * Refuses the values of a record that no store keeps as sent. U+0000, anywhere, keys included:
 * PostgreSQL cannot store it (neither in {@code text} nor as {@code \u0000} in {@code jsonb});
 * refusing it on every store keeps the embedded and the server store accepting exactly the same
 * records (a raw NUL byte never gets this far: the parser refuses it unescaped). And a number out
 * of a double's range, which the parser reads as an infinity ({@code 1e400}) or NaN ({@code 1e-400},
 * see {@code json/UnderflowAsNaN}): stored, it would be the string {@code "Infinity"} or a 0.
 */
final class StorableValues {

    private StorableValues() {
    }

    /**
     * @throws InvalidRecord naming {@code field} when a key or string value holds U+0000 or a lone
     *                       surrogate, and naming the path to a number out of range from {@code field}
     *                       ({@code properties.price}, {@code update.$set.list[2]})
     */
    static void reject(JsonNode node, String field) {
        Problem problem = problem(node);
        if (problem == null) {
            return;
        }
        if (problem.path() != null) {
            String path = field + problem.path();
            throw new InvalidRecord(path, path + " is a number out of range: a number must fit a double "
                    + "(at most about 1.8e308 either side of 0, and not so near 0 that it reads as 0)");
        }
        throw new InvalidRecord(field, field + " contains " + problem.what() + ", which Lethe does not store");
    }

    /** What is wrong; for a number, its path from the checked node (built on the way back up). */
    private record Problem(String what, String path) {

        Problem under(String step) {
            return path == null ? this : new Problem(what, step + path);
        }
    }

    private static final Problem OUT_OF_RANGE = new Problem("a number out of range", "");

    private static Problem problem(String s) {
        if (s.indexOf('\0') >= 0) {
            return new Problem("a NUL character (\\u0000)", null);
        }
        // why: no store keeps a lone surrogate as sent (both write '?'), so two values would become one.
        if (DistinctIds.hasLoneSurrogate(s)) {
            return new Problem("a lone UTF-16 surrogate (such as \\ud800)", null);
        }
        return null;
    }

    private static Problem problem(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return problem(node.textValue());
        }
        if (node.isFloatingPointNumber()) {
            return Double.isFinite(node.doubleValue()) ? null : OUT_OF_RANGE;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Problem p = problem(e.getKey());
                if (p == null) {
                    p = problem(e.getValue());
                }
                if (p != null) {
                    return p.under("." + e.getKey());
                }
            }
            return null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Problem p = problem(node.get(i));
                if (p != null) {
                    return p.under("[" + i + "]");
                }
            }
        }
        return null;
    }
}
