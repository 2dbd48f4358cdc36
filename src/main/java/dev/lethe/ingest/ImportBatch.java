package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;

import java.util.ArrayList;
import java.util.List;

/** An /import batch after validating every record: the events, and the failures if any. */
public record ImportBatch(List<EventIngester.Routed> events, List<ObjectNode> failures) {

    public static ImportBatch validate(long projectId, List<JsonNode> records, Validation validation, long nowMs) {
        List<EventIngester.Routed> events = new ArrayList<>(records.size());
        List<ObjectNode> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            // why: read before normalising, which may fail half-way; Mixpanel reports the client's id.
            JsonNode insertId = record.path("properties").path("$insert_id");
            try {
                events.add(new EventIngester.Routed(projectId, EventNormalizer.normalize(record, validation, nowMs)));
            } catch (InvalidRecord e) {
                ObjectNode failure = Json.object();
                failure.put("index", i);
                failure.set("$insert_id", insertId.isValueNode() ? insertId : null);
                failure.put("field", e.field());
                failure.put("message", e.getMessage());
                failures.add(failure);
            }
        }
        return new ImportBatch(events, failures);
    }

    /**
     * Mixpanel's strict-mode answer: every failed record, and nothing imported. Its
     * {@code "status": "Bad Request"} replaces the usual {@code "error"} status.
     */
    public DomainException strictFailure() {
        ObjectNode body = Json.object();
        body.put("code", 400);
        body.put("status", "Bad Request");
        body.put("num_records_imported", 0);
        body.set("failed_records", failedRecords());
        return DomainException.invalidInput(failures.size() + " of the records failed validation; nothing was imported", body);
    }

    /** Lethe's error body, naming the first failure and listing them all. */
    public DomainException failure() {
        ObjectNode first = failures.get(0);
        ObjectNode extra = Json.object();
        extra.put("num_records_imported", 0);
        extra.set("failed_records", failedRecords());
        return DomainException.invalidInput("record " + first.get("index").asInt() + ": " + first.get("message").asText()
                + " (nothing was imported)", extra);
    }

    private ArrayNode failedRecords() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        failures.forEach(array::add);
        return array;
    }
}
