package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A batch of {@code /engage} or {@code /groups} updates after checking each on its own: the valid
 * ones, to be applied whatever the others hold, and the ones that failed.
 *
 * @param idField the key naming an update's profile ({@code $distinct_id}, {@code $group_id}), as
 *                the failures report it
 */
public record UpdateBatch<T>(List<T> valid, List<RecordFailure> failures, String idField, DomainException firstRefusal) {

    /**
     * @param parse reads one update and routes it to its project; throws {@link InvalidRecord} for a
     *              bad update and the token lookup's {@link DomainException} for a token it refuses
     */
    static <T> UpdateBatch<T> check(List<JsonNode> records, String idField, Function<JsonNode, T> parse) {
        List<T> valid = new ArrayList<>(records.size());
        List<RecordFailure> failures = new ArrayList<>();
        DomainException first = null;
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String id = RecordFailure.idOf(record.get(idField));
            try {
                valid.add(parse.apply(record));
            } catch (InvalidRecord e) {
                failures.add(new RecordFailure(i, id, e.field(), e.getMessage()));
                first = first == null ? Batches.invalid(i, e, records.size()) : first;
            } catch (DomainException e) {
                failures.add(new RecordFailure(i, id, "$token", e.getMessage()));
                first = first == null ? e : first;
            }
        }
        return new UpdateBatch<>(valid, failures, idField, first);
    }

    /**
     * The refusal of a batch none of whose updates can be applied: that of its first failure, with
     * the status of its cause (400 for a bad update, 401/403 for a refused token).
     */
    public DomainException refusal() {
        return firstRefusal;
    }

    /** One line for the SDK's {@code {"status": 0, "error": ...}}. */
    public String summary(int applied) {
        RecordFailure f = failures.get(0);
        return failures.size() + " of " + (valid.size() + failures.size()) + " updates failed validation and were not applied ("
                + applied + " were); record " + f.index() + ": " + f.message();
    }
}
