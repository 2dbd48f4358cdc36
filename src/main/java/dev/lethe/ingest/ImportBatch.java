package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An /import batch after validating every record on its own: the events to store and the records
 * that failed. The valid events are stored whatever the others hold, as Mixpanel does; a failed
 * record is reported, never half-stored.
 */
public record ImportBatch(List<EventIngester.Routed> events, List<RecordFailure> failures) {

    public static ImportBatch validate(long projectId, List<JsonNode> records, Validation validation, long nowMs) {
        List<EventIngester.Routed> events = new ArrayList<>(records.size());
        List<RecordFailure> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            // why: read before normalising, which may fail half-way; Mixpanel reports the client's id.
            String insertId = RecordFailure.idOf(record.path("properties").get("$insert_id"));
            try {
                events.add(new EventIngester.Routed(projectId, EventNormalizer.normalize(record, validation, nowMs)));
            } catch (InvalidRecord e) {
                failures.add(new RecordFailure(i, insertId, wireField(e.field()), e.getMessage()));
            }
        }
        return new ImportBatch(events, failures);
    }

    /** The field as Mixpanel names it: a path from the record, {@code properties.time}. */
    static String wireField(String field) {
        if (field.equals("event") || field.equals("properties") || field.startsWith("properties.")) {
            return field;
        }
        return "properties." + field;
    }

    /** The summary for a client of the legacy {@code 1}/{@code 0} answer, which has room for one message. */
    public String summary(int stored) {
        RecordFailure first = failures.get(0);
        return failures.size() + " of " + (events.size() + failures.size()) + " records failed validation and were not imported ("
                + stored + " were); record " + first.index() + ": " + first.message();
    }
}
