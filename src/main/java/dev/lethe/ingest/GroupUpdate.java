package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One {@code /groups} update: {@code $token}, {@code $group_key}, {@code $group_id} and exactly one
 * of the operations Mixpanel's spec lists for groups, which mean what they mean on {@code /engage}.
 */
public record GroupUpdate(String token, String groupKey, String groupId, String operation, JsonNode value) {

    static final List<String> OPERATIONS = List.of("$set", "$set_once", "$unset", "$remove", "$union", "$delete");

    static GroupUpdate parse(JsonNode update) {
        if (update == null || !update.isObject()) {
            throw new InvalidRecord("update", "a group update must be a JSON object");
        }
        String token = EventNormalizer.text(update.get("$token"), "$token");
        if (token == null || token.isEmpty()) {
            throw new InvalidRecord("$token", "$token is missing");
        }
        JsonNode keyNode = update.get("$group_key");
        if (keyNode != null && !keyNode.isNull() && !keyNode.isTextual()) {
            throw new InvalidRecord("$group_key", "$group_key must be a string");
        }
        String groupKey = EventNormalizer.text(keyNode, "$group_key");
        if (groupKey == null || groupKey.isEmpty()) {
            throw new InvalidRecord("$group_key", "$group_key is missing or empty");
        }
        String groupId = EventNormalizer.text(update.get("$group_id"), "$group_id");
        if (groupId == null || groupId.isEmpty()) {
            throw new InvalidRecord("$group_id", "$group_id is missing or empty");
        }
        String operation = ProfileOperations.operation(update, OPERATIONS);
        StorableValues.reject(update, "update");
        JsonNode value = update.get(operation);
        ProfileOperations.validate(operation, value);
        return new GroupUpdate(token, groupKey, groupId, operation, value);
    }

    /** The group profile after this update; null when the update deletes it. */
    ObjectNode apply(ObjectNode current) {
        return ProfileOperations.apply(operation, value, current);
    }
}
