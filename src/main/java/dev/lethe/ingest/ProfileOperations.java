package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of {@code /engage} and {@code /groups} on a property map: which one an update
 * carries, whether its value fits, and what it does. User and group profiles share them.
 */
final class ProfileOperations {

    private ProfileOperations() {
    }

    /** The one operation of {@code allowed} that the update carries. */
    static String operation(JsonNode update, List<String> allowed) {
        String operation = null;
        for (String op : allowed) {
            if (update.has(op)) {
                if (operation != null) {
                    throw new InvalidRecord(op, "an update carries exactly one operation, found " + operation + " and " + op);
                }
                operation = op;
            }
        }
        if (operation == null) {
            throw new InvalidRecord("operation", "an update needs one of " + String.join(", ", allowed));
        }
        return operation;
    }

    /** Refuses a value of the wrong shape for the operation. */
    static void validate(String operation, JsonNode value) {
        switch (operation) {
            case "$delete" -> { }
            case "$unset" -> {
                if (!value.isArray()) {
                    throw new InvalidRecord(operation, "$unset takes an array of property names");
                }
                value.forEach(name -> {
                    if (!name.isTextual()) {
                        throw new InvalidRecord(operation, "$unset takes an array of property names");
                    }
                });
            }
            default -> {
                if (!value.isObject()) {
                    throw new InvalidRecord(operation, operation + " takes an object of properties");
                }
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                    JsonNode v = it.next();
                    if (operation.equals("$add") && !v.isNumber()) {
                        throw new InvalidRecord(operation, "$add takes numbers");
                    }
                    if (operation.equals("$union") && !v.isArray()) {
                        throw new InvalidRecord(operation, "$union takes arrays");
                    }
                }
            }
        }
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
            case "$add" -> profile.set(name, add(name, current, v));
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

    /**
     * A missing or non-numeric property counts as zero. Whole numbers stay exact while a long holds them; past that the
     * sum is a double, as every number is in Mixpanel (an SDK in JavaScript sends 2^63 as a plain integer). A sum that
     * not even a double holds is refused, never stored wrapped round or as "Infinity".
     *
     * @throws DomainException (400) refusing the update, and with it the rest of its request
     */
    private static JsonNode add(String name, JsonNode current, JsonNode v) {
        JsonNode base = current != null && current.isNumber() ? current : null;
        if ((base == null || base.isIntegralNumber() && base.canConvertToLong())
                && v.isIntegralNumber() && v.canConvertToLong()) {
            long a = base == null ? 0 : base.longValue();
            long b = v.longValue();
            long sum = a + b;
            // why: Math.addExact's overflow test, without an exception for the sums that go on as doubles
            if (((a ^ sum) & (b ^ sum)) >= 0) {
                return LongNode.valueOf(sum);
            }
        }
        double sum = (base == null ? 0 : base.doubleValue()) + v.doubleValue();
        if (!Double.isFinite(sum)) {
            throw DomainException.invalidInput("$add would take " + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    + " past the largest number (a double's range); the update was not applied, nor the rest of its request");
        }
        return DoubleNode.valueOf(sum);
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
