package dev.lethe.gdpr;

import dev.lethe.domain.DomainException;
import dev.lethe.task.TaskStatus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A listing request: an optional status filter, a page size, and the opaque cursor of the
 * previous page (it encodes the row id the next page starts below).
 */
public record ListQuery(TaskStatus status, int limit, Long beforeId) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String CURSOR_PREFIX = "t1:";

    public static ListQuery parse(String status, String limit, String cursor) {
        return new ListQuery(status(status), limit(limit), cursor == null || cursor.isEmpty() ? null : decode(cursor));
    }

    static String cursorAfter(long rowId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + rowId).getBytes(StandardCharsets.UTF_8));
    }

    private static TaskStatus status(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return TaskStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidInput("unknown status filter: use PENDING, STAGING, STARTED, SUCCESS, FAILURE or REVOKED");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // why: falls through to the one 400 that states the accepted range
        }
        throw DomainException.invalidInput("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static long decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(raw.substring(CURSOR_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // why: NumberFormatException is one; any undecodable cursor gets the same 400
        }
        throw DomainException.invalidInput("cursor is not one this API returned");
    }
}
