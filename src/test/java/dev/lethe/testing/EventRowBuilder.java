package dev.lethe.testing;

import dev.lethe.event.EventRecord;

import java.time.Instant;

/** Test events with sensible defaults; each test states only what it cares about. */
public final class EventRowBuilder {

    public static final long NOW_MS = Instant.parse("2026-11-28T09:15:02.118Z").toEpochMilli();

    private final String distinctId;
    private String event = "Viewed Page";
    private long timeMs = NOW_MS;
    private String insertId;
    private String source = "track";
    private String properties = "{\"$browser\":\"Firefox\",\"page\":\"/home\"}";

    private EventRowBuilder(String distinctId) {
        this.distinctId = distinctId;
    }

    public static EventRowBuilder event(String distinctId) {
        return new EventRowBuilder(distinctId);
    }

    public EventRowBuilder named(String name) {
        this.event = name;
        return this;
    }

    public EventRowBuilder at(long timeMs) {
        this.timeMs = timeMs;
        return this;
    }

    public EventRowBuilder at(String isoInstant) {
        return at(Instant.parse(isoInstant).toEpochMilli());
    }

    public EventRowBuilder insertId(String insertId) {
        this.insertId = insertId;
        return this;
    }

    public EventRowBuilder source(String source) {
        this.source = source;
        return this;
    }

    public EventRowBuilder properties(String json) {
        this.properties = json;
        return this;
    }

    public EventRecord build() {
        String id = insertId != null ? insertId : distinctId + "-" + event + "-" + timeMs;
        return new EventRecord(distinctId, event, timeMs, id, source, properties, NOW_MS);
    }
}
