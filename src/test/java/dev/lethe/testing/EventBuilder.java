package dev.lethe.testing;

import dev.lethe.event.EventRecord;

import java.time.Instant;

/** Test events with sensible defaults; each test states only what it cares about. */
public final class EventBuilder {

    public static final long NOW_MS = Instant.parse("2026-11-28T09:15:02.118Z").toEpochMilli();

    private final String distinctId;
    private String event = "Viewed Page";
    private long timeMs = NOW_MS;
    private String insertId;
    private String source = "track";
    private String properties = "{\"$browser\":\"Firefox\",\"page\":\"/home\"}";

    private EventBuilder(String distinctId) {
        this.distinctId = distinctId;
    }

    public static EventBuilder event(String distinctId) {
        return new EventBuilder(distinctId);
    }

    public EventBuilder named(String name) {
        this.event = name;
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

    public EventBuilder properties(String json) {
        this.properties = json;
        return this;
    }

    public EventRecord build() {
        String id = insertId != null ? insertId : distinctId + "-" + event + "-" + timeMs;
        return new EventRecord(distinctId, event, timeMs, id, source, properties, NOW_MS);
    }
}
