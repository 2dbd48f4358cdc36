package dev.lethe.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;

import java.util.concurrent.atomic.AtomicLong;

/** One test event with sensible defaults; change only what a test is about. */
public final class EventBuilder {

    private static final AtomicLong SEQ = new AtomicLong();

    private final String distinctId;
    private String name = "Page View";
    private long timeMs = 1_790_000_000_000L;
    private String insertId = "ins-" + SEQ.incrementAndGet();
    private String source = "track";
    private final ObjectNode properties = Json.object();

    private EventBuilder(String distinctId) {
        this.distinctId = distinctId;
    }

    public static EventBuilder event(String distinctId) {
        return new EventBuilder(distinctId);
    }

    public EventBuilder name(String v) { name = v; return this; }
    public EventBuilder timeMs(long v) { timeMs = v; return this; }
    public EventBuilder insertId(String v) { insertId = v; return this; }
    public EventBuilder source(String v) { source = v; return this; }
    public EventBuilder prop(String key, String value) { properties.put(key, value); return this; }
    public EventBuilder prop(String key, long value) { properties.put(key, value); return this; }

    public EventRecord build() {
        return new EventRecord(distinctId, name, timeMs, insertId, source, Json.write(properties), timeMs + 500);
    }
}
