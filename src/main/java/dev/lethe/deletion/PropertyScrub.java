package dev.lethe.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lethe.json.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What an anonymizing deletion does to one event's properties, as a pure function (docs/erasure.md):
 * drops the personal properties, sets every identity property to the pseudonym, replaces any other
 * string equal to one of the person's ids (at any depth) by the pseudonym, drops any property whose
 * name is one of those ids, and gives {@code $insert_id} a fresh random value. {@link #residue} is the
 * independent check the verification runs.
 */
final class PropertyScrub {

    /** The properties through which the SDKs and the identity API name a person or a device. */
    static final Set<String> IDENTITY_PROPERTIES = Set.of("distinct_id", "$distinct_id", "$device_id", "$user_id",
            "$anon_distinct_id", "$anon_id", "$identified_id");
    static final String INSERT_ID = "$insert_id";
    private static final String DEVICE_PREFIX = "$device:";

    /** A rewritten property object, its new insert id, and how many properties it dropped. */
    record Rewritten(String propertiesJson, String insertId, int dropped) {
    }

    private final String pseudonym;
    private final Set<String> personal;

    PropertyScrub(String pseudonym, Set<String> personal) {
        this.pseudonym = pseudonym;
        this.personal = Set.copyOf(personal);
    }

    String pseudonym() {
        return pseudonym;
    }

    /**
     * The strings that name the person: their ids, and for a {@code $device:<id>} id the bare {@code <id>}
     * too, which is how {@code $device_id} carries it (docs/identity.md).
     */
    static Set<String> matching(Collection<String> personIds) {
        Set<String> out = new HashSet<>(personIds);
        for (String id : personIds) {
            if (id.startsWith(DEVICE_PREFIX) && id.length() > DEVICE_PREFIX.length()) {
                out.add(id.substring(DEVICE_PREFIX.length()));
            }
        }
        return out;
    }

    /** A fresh {@code $insert_id}: 32 random hex digits, within Mixpanel's 36 characters, derived from nothing. */
    static String freshInsertId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Rewrites one event's properties for a person named by {@code matching}; {@code insertId} is the
     * insert id the row gets (kept in {@code $insert_id} when the properties carry one).
     */
    Rewritten rewrite(String propertiesJson, Set<String> matching, String insertId) {
        JsonNode parsed = Json.readTrusted(propertiesJson);
        if (!parsed.isObject()) {
            return new Rewritten(propertiesJson, insertId, 0);
        }
        ObjectNode props = (ObjectNode) parsed;
        int dropped = 0;
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (personal.contains(name) || matching.contains(name)) {
                props.remove(name);
                dropped++;
            } else if (IDENTITY_PROPERTIES.contains(name)) {
                props.set(name, TextNode.valueOf(pseudonym));
            } else if (INSERT_ID.equals(name)) {
                props.set(name, TextNode.valueOf(insertId));
            } else {
                JsonNode value = props.get(name);
                dropped += droppedNames(value, matching);
                props.set(name, replaced(value, matching));
            }
        }
        return new Rewritten(Json.write(props), insertId, dropped);
    }

    /** Replaces strings equal to the person's ids at any depth; nested objects lose fields named by one. */
    private JsonNode replaced(JsonNode node, Set<String> matching) {
        if (node.isTextual()) {
            return matching.contains(node.textValue()) ? TextNode.valueOf(pseudonym) : node;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, replaced(array.get(i), matching));
            }
        } else if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> gone = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (matching.contains(f.getKey())) {
                    gone.add(f.getKey());
                } else {
                    f.setValue(replaced(f.getValue(), matching));
                }
            }
            object.remove(gone);
        }
        return node;
    }

    /** How many nested fields named by one of the person's ids {@link #replaced} removed (counted before it runs). */
    private static int droppedNames(JsonNode node, Set<String> matching) {
        int n = 0;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                n += matching.contains(f.getKey()) ? 1 : droppedNames(f.getValue(), matching);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                n += droppedNames(element, matching);
            }
        }
        return n;
    }

    /**
     * What of the person is still in these properties, or null when nothing is: a personal property, an
     * identity property other than the pseudonym, or a string or a property name equal to one of the ids.
     * Names the property, never the value.
     */
    String residue(String propertiesJson, Set<String> matching) {
        JsonNode props = Json.readTrusted(propertiesJson);
        if (!props.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (personal.contains(name)) {
                return "personal property " + name;
            }
            if (IDENTITY_PROPERTIES.contains(name) && !pseudonym.equals(f.getValue().asText())) {
                return "identity property " + name;
            }
            if (matching.contains(name)) {
                return "a property named by an id of the person";
            }
            if (holds(f.getValue(), matching)) {
                return "an id of the person in property " + name;
            }
        }
        return null;
    }

    private static boolean holds(JsonNode node, Set<String> matching) {
        if (node.isTextual()) {
            return matching.contains(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (matching.contains(f.getKey()) || holds(f.getValue(), matching)) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holds(element, matching)) {
                    return true;
                }
            }
        }
        return false;
    }
}
