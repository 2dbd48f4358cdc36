package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An event that passed validation, in Lethe's units: {@code timeMs} in epoch milliseconds,
 * {@code insertId} the SDK's or a derived one, {@code properties} minus {@code token}.
 * {@code analytics} is false for {@code $create_alias}, which only declares a link.
 */
public record NormalizedEvent(String distinctId, String event, long timeMs, String insertId, ObjectNode properties,
                              List<IdentityLink> links, boolean analytics) {

    /** Every id this event names: if any is suppressed, the event is dropped whole. */
    public Set<String> mentionedIds() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(distinctId);
        for (IdentityLink link : links) {
            ids.add(link.a());
            ids.add(link.b());
        }
        for (String field : new String[] {"$device_id", "$user_id"}) {
            JsonNode v = properties.get(field);
            if (v != null && v.isValueNode() && !v.isNull()) {
                ids.add(v.asText());
            }
        }
        return ids;
    }
}
