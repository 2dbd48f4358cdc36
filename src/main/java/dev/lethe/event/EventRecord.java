package dev.lethe.event;

/**
 * One event as stored. {@code timeMs} is epoch milliseconds; {@code source} is the ingestion
 * endpoint that received it ({@code track}, {@code import}, {@code load}); {@code propertiesJson}
 * is the SDK's property object as received, minus {@code token}.
 */
public record EventRecord(String distinctId, String event, long timeMs, String insertId, String source,
                          String propertiesJson, long receivedAt) {
}
