package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lethe.json.Json;

import java.util.Arrays;

/** {@code application/x-ndjson} bodies, one JSON value a line, as /import also accepts. */
public final class Ndjson {

    private Ndjson() {
    }

    public static ArrayNode parse(byte[] body) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        int start = 0;
        int line = 1;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            byte[] slice = Arrays.copyOfRange(body, start, end);
            if (!isBlank(slice)) {
                out.add(DataDecoder.parse(slice, "line " + line + " of the body"));
            }
            start = end + 1;
            line++;
        }
        return out;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
