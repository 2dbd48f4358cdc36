package dev.lethe.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stored test event with sensible defaults; a test states only what it is about.
 *
 * <p>Defaults: event {@code "Page View"}, time {@link #DEFAULT_TIME_MS}, source {@code track},
 * no properties, received 500 ms after its time, and an insert id unique to this builder
 * ({@code ins-<n>}), so two events built alike are two rows, not one deduplicated row. A test
 * about deduplication states the insert ids it means.
 */
public final class EventBuilder {

    /** The instant the test server's clock starts at ({@link TestServer}), to the millisecond. */
    public static final long NOW_MS = Instant.parse("2026-11-28T09:15:02.118Z").toEpochMilli();

    /** When an event happened unless the test says: 2026-09-21, in the last twelve months of {@link #NOW_MS}. */
    public static final long DEFAULT_TIME_MS = 1_790_000_000_000L;

    private static final AtomicLong SEQ = new AtomicLong();

    private final String distinctId;
    private String name = "Page View";
    private long timeMs = DEFAULT_TIME_MS;
    private String insertId = "ins-" + SEQ.incrementAndGet();
    private String source = "track";
    private ObjectNode properties = Json.object();
    /** The whole property document as the test wrote it, kept verbatim; null once built from {@link #prop}. */
    private String propertiesJson;

    private EventBuilder(String distinctId) {
        this.distinctId = distinctId;
    }

    public static EventBuilder event(String distinctId) {
        return new EventBuilder(distinctId);
    }

    public EventBuilder named(String name) {
        this.name = name;
        return this;
    }

    public EventBuilder at(long timeMs) {
        this.timeMs = timeMs;
        return this;
    }

    public EventBuilder at(String isoInstant) {
        return at(Instant.parse(isoInstant).toEpochMilli());
    }

    public EventBuilder insertId(String insertId) {
        this.insertId = insertId;
        return this;
    }

    public EventBuilder source(String source) {
        this.source = source;
        return this;
    }

    public EventBuilder prop(String key, String value) {
        properties().put(key, value);
        return this;
    }

    public EventBuilder prop(String key, long value) {
        properties().put(key, value);
        return this;
    }

    /** Replaces the properties with this JSON object, stored as written. */
    public EventBuilder properties(String json) {
        this.propertiesJson = json;
        this.properties = null;
        return this;
    }

    private ObjectNode properties() {
        if (properties == null) {
            properties = (ObjectNode) Json.readTrusted(propertiesJson);
            propertiesJson = null;
        }
        return properties;
    }

    public EventRecord build() {
        String json = propertiesJson != null ? propertiesJson : Json.write(properties);
        return new EventRecord(distinctId, name, timeMs, insertId, source, json, timeMs + 500);
    }
}
