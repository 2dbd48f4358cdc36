package dev.lethe.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A property's name and the JSON type of its value: what the schema tables keep of a property, never the value. */
public record PropertyShape(String name, String type) {

    /** Keys every exported event carries under fixed names; they are not listed as the event's own properties. */
    public static final Set<String> FIXED = Set.of("time", "distinct_id", "$insert_id", "mp_processing_time_ms", "token");

    /** The shapes of an event's properties, fixed keys left out. */
    public static List<PropertyShape> ofEvent(JsonNode properties) {
        List<PropertyShape> out = new ArrayList<>(properties.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!FIXED.contains(field.getKey())) {
                out.add(new PropertyShape(field.getKey(), typeOf(field.getValue())));
            }
        }
        return out;
    }

    /** The names PostgreSQL's jsonb_typeof gives, so the migration's backfill and ingestion agree. */
    public static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING, BINARY -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT, POJO -> "object";
            default -> "null";
        };
    }
}
