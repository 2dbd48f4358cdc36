package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of a batch that was not stored: its position in the batch, the id the client gave it
 * (its {@code $insert_id}, {@code $distinct_id} or {@code $group_id}; {@code ""} when it had none),
 * the field at fault, named as the client wrote it ({@code properties.time}), and why.
 */
public record RecordFailure(int index, String id, String field, String message) {

    /** The id-like value of a record as the client sent it, read before validation may fail half-way. */
    static String idOf(JsonNode id) {
        return id != null && id.isValueNode() && !id.isNull() ? id.asText() : "";
    }
}
