package dev.lethe.query.where;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The values an expression works on: {@link String}, {@link Double}, {@link Boolean}, a
 * {@link List} (array property or list literal), a {@link DateTime}, or {@code null} for
 * Mixpanel's undefined (a missing or null property, an object, an operation on the wrong types).
 */
final class Values {

    /** A point in time, epoch milliseconds; made by {@code datetime(...)}. */
    record DateTime(long epochMs) {
    }

    private Values() {
    }

    static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isObject()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(of(item)));
            return items;
        }
        return null;
    }

    /**
     * A datetime from a string (ISO-8601 date, or date-time with or without an offset; no offset
     * means UTC) or a number (epoch seconds); null when it is neither.
     */
    static DateTime dateTime(Object v) {
        if (v instanceof DateTime d) {
            return d;
        }
        if (v instanceof Double n) {
            return new DateTime(Math.round(n * 1000));
        }
        if (v instanceof String s) {
            Long ms = parseIsoMs(s.trim());
            return ms == null ? null : new DateTime(ms);
        }
        return null;
    }

    static Long parseIsoMs(String s) {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
