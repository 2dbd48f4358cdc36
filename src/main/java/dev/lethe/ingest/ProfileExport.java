package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A profile as Mixpanel's profile export writes it, {@code {"$distinct_id": ..., "$properties": {...}}}
 * (one a line from export tools, or the {@code results} of an engage API page). Loading one sets
 * its properties, as an {@code /engage} {@code $set} would; with a group key the id is a group id
 * (Mixpanel exports group profiles the same way when asked for a {@code data_group_id}).
 */
final class ProfileExport {

    private ProfileExport() {
    }

    /** True when the record is shaped like an exported profile rather than an event. */
    static boolean isProfile(JsonNode record) {
        return record.isObject() && record.has("$distinct_id") && record.has("$properties") && !record.has("event");
    }

    /** True when the record is a whole engage API page, whose {@code results} are profiles. */
    static boolean isPage(JsonNode record) {
        return record.isObject() && record.path("results").isArray() && !record.has("event");
    }

    static ProfileUpdate profile(JsonNode record) {
        return new ProfileUpdate("", id(record, "$distinct_id"), "$set", properties(record));
    }

    static GroupUpdate group(JsonNode record, String groupKey) {
        return new GroupUpdate("", groupKey, id(record, "$group_id"), "$set", properties(record));
    }

    private static String id(JsonNode record, String field) {
        String id = EventNormalizer.text(record.get("$distinct_id"), field);
        if (id == null || id.isEmpty()) {
            throw new InvalidRecord(field, "$distinct_id is missing or empty");
        }
        return id;
    }

    private static JsonNode properties(JsonNode record) {
        JsonNode properties = record.get("$properties");
        if (properties == null || !properties.isObject()) {
            throw new InvalidRecord("$properties", "$properties must be a JSON object");
        }
        StorableValues.reject(record, "profile");
        return properties;
    }
}
