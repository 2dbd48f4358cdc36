package dev.lethe.web.gdpr;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as Mixpanel's GDPR API writes them: UTC, microseconds, no zone, e.g. {@code 2026-11-28T09:15:02.118204}. */
final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    static String formatOrNull(Long epochMillis) {
        return epochMillis == null ? null : format(epochMillis);
    }
}
