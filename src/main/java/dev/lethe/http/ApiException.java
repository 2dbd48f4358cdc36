package dev.lethe.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

/**
 * A request that cannot be served, with the status and message the client gets:
 * {@code {"status": "error", "error": message}}, plus any extra fields.
 */
public class ApiException extends RuntimeException {

    /**
     * The {@code Retry-After} of a 503: the store could not be reached or stayed locked for the whole
     * busy timeout (a rebuild of the embedded store, see docs/erasure.md); a few seconds is a fair
     * first wait, and clients that back off further are welcome to.
     */
    public static final long STORE_RETRY_AFTER_SECONDS = 5;

    private final int status;
    private final transient ObjectNode extra;
    private final String retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, null, null);
    }

    private ApiException(int status, String message, ObjectNode extra, String retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.extra = extra;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException withExtra(int status, String message, ObjectNode extra) {
        return new ApiException(status, message, extra, null);
    }

    /** 503 with {@code Retry-After}: the store is unavailable or busy; the same request may succeed later. */
    public static ApiException storeUnavailable(String message, ObjectNode extra) {
        return new ApiException(503, message, extra, Long.toString(STORE_RETRY_AFTER_SECONDS));
    }

    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(429, message, null, Long.toString(Math.max(1, retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("status", "error");
        body.put("error", getMessage());
        if (extra != null) {
            body.setAll(extra);
        }
        return body;
    }
}
