package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The semantics of the {@code /engage} operations, on a profile's property map. */
final class ProfileOperations {

    private ProfileOperations() {
    }

    /** Applies a validated operation (see {@link ProfileUpdate}); null deletes the profile. */
    static ObjectNode apply(String operation, JsonNode value, ObjectNode profile) {
        switch (operation) {
            case "$delete" -> {
                return null;
            }
            case "$unset" -> value.forEach(name -> profile.remove(name.textValue()));
            default -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    applyOne(operation, profile, field.getKey(), field.getValue());
                }
            }
        }
        return profile;
    }

    private static void applyOne(String operation, ObjectNode profile, String name, JsonNode v) {
        JsonNode current = profile.get(name);
        switch (operation) {
            case "$set" -> profile.set(name, v);
            case "$set_once" -> {
                if (current == null) {
                    profile.set(name, v);
                }
            }
            case "$add" -> profile.set(name, add(current, v));
            case "$append" -> list(profile, name).add(v);
            case "$union" -> {
                ArrayNode list = list(profile, name);
                // why: a linear search per element made one $union cost list length x elements sent.
                Set<JsonNode> present = new HashSet<>();
                list.forEach(present::add);
                v.forEach(element -> {
                    if (present.add(element)) {
                        list.add(element);
                    }
                });
            }
            case "$remove" -> {
                if (current != null && current.isArray()) {
                    ArrayNode list = (ArrayNode) current;
                    for (int i = list.size() - 1; i >= 0; i--) {
                        if (list.get(i).equals(v)) {
                            list.remove(i);
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("not a property operation: " + operation);
        }
    }

    /** A missing or non-numeric property counts as zero; integers stay integers. */
    private static JsonNode add(JsonNode current, JsonNode v) {
        JsonNode base = current != null && current.isNumber() ? current : null;
        if ((base == null || base.isIntegralNumber()) && v.isIntegralNumber()) {
            return LongNode.valueOf((base == null ? 0 : base.longValue()) + v.longValue());
        }
        return DoubleNode.valueOf((base == null ? 0 : base.doubleValue()) + v.doubleValue());
    }

    /** The list property, made a list when it was missing or a scalar. */
    private static ArrayNode list(ObjectNode profile, String name) {
        JsonNode current = profile.get(name);
        if (current != null && current.isArray()) {
            return (ArrayNode) current;
        }
        return profile.putArray(name);
    }
}
