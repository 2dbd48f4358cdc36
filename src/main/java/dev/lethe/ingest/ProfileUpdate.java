package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One {@code /engage} update: {@code $token}, {@code $distinct_id} and exactly one operation.
 * Modifiers such as {@code $ip}, {@code $time} and {@code $ignore_time} are accepted and ignored.
 */
public record ProfileUpdate(String token, String distinctId, String operation, JsonNode value) {

    static final List<String> OPERATIONS =
            List.of("$set", "$set_once", "$add", "$union", "$append", "$remove", "$unset", "$delete");

    static ProfileUpdate parse(JsonNode update) {
        if (update == null || !update.isObject()) {
            throw new InvalidRecord("update", "a profile update must be a JSON object");
        }
        String token = EventNormalizer.text(update.get("$token"), "$token");
        if (token == null || token.isEmpty()) {
            throw new InvalidRecord("$token", "$token is missing");
        }
        String distinctId = EventNormalizer.text(update.get("$distinct_id"), "$distinct_id");
        if (distinctId == null || distinctId.isEmpty()) {
            throw new InvalidRecord("$distinct_id", "$distinct_id is missing or empty");
        }
        String operation = ProfileOperations.operation(update, OPERATIONS);
        StorableValues.reject(update, "update");
        ProfileUpdate parsed = new ProfileUpdate(token, distinctId, operation, update.get(operation));
        ProfileOperations.validate(operation, parsed.value());
        return parsed;
    }

    /** The profile after this update; null when the update deletes it. */
    ObjectNode apply(ObjectNode current) {
        ObjectNode next = ProfileOperations.apply(operation, value, current);
        ProfileLimits.check(operation, value, next);
        return next;
    }
}
