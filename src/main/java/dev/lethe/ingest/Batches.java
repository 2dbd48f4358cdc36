package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;

import java.util.ArrayList;
import java.util.List;

/** The records of a payload: one JSON object, or an array of at most {@link #MAX} of them. */
public final class Batches {

    public static final int MAX = 2000;

    private Batches() {
    }

    public static List<JsonNode> records(JsonNode payload) {
        if (payload.isObject()) {
            return List.of(payload);
        }
        if (!payload.isArray()) {
            throw DomainException.invalidInput("expected a JSON object or an array of them");
        }
        if (payload.size() > MAX) {
            throw DomainException.invalidInput("a batch holds at most " + MAX + " records, this one has " + payload.size());
        }
        List<JsonNode> out = new ArrayList<>(payload.size());
        payload.forEach(out::add);
        return out;
    }

    /** The 400 for a record of a batch that is refused whole. */
    static DomainException invalid(int index, InvalidRecord e, int size) {
        return DomainException.invalidInput(size == 1 ? e.getMessage() : "record " + index + ": " + e.getMessage());
    }
}
