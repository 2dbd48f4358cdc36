package dev.lethe.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

/** Test events in the SDK's shape, {@code {"event": ..., "properties": {...}}}, built field by field. */
final class EventBuilder {

    private final ObjectNode root = Json.object();
    private final ObjectNode props = root.putObject("properties");

    private EventBuilder(String name) {
        root.put("event", name);
    }

    static EventBuilder event(String name) {
        return new EventBuilder(name);
    }

    EventBuilder distinctId(String id) {
        props.put("distinct_id", id);
        return this;
    }

    EventBuilder token(String token) {
        props.put("token", token);
        return this;
    }

    EventBuilder time(long time) {
        props.put("time", time);
        return this;
    }

    EventBuilder time(double seconds) {
        props.put("time", seconds);
        return this;
    }

    EventBuilder insertId(String id) {
        props.put("$insert_id", id);
        return this;
    }

    EventBuilder prop(String name, String value) {
        props.put(name, value);
        return this;
    }

    ObjectNode node() {
        return root;
    }

    String json() {
        return Json.write(root);
    }

    /** A JSON array of these events. */
    static String array(EventBuilder... events) {
        var array = Json.MAPPER.createArrayNode();
        for (EventBuilder e : events) {
            array.add(e.root);
        }
        return Json.write(array);
    }
}
