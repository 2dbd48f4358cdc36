package dev.lethe.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the domain refuses, with a reason and a message meant for the caller. Services and
 * parsers throw it; the web layer alone decides the status code and the body's shape for each
 * reason, so nothing below the web layer knows about HTTP.
 */
public final class DomainException extends RuntimeException {

    /** Why a request is refused; each maps to one status in {@code web/ErrorMapper}. */
    public enum Reason {
        INVALID_INPUT,
        UNAUTHENTICATED,
        FORBIDDEN,
        NOT_FOUND,
        /** The target exists but its state does not allow the operation (e.g. cancelling a started task). */
        STATE_CONFLICT,
        /** The target existed and is gone for good (an expired or purged archive). */
        GONE,
        TOO_LARGE,
        UNSUPPORTED_ENCODING,
        RATE_LIMITED,
        /** A request Lethe understands and deliberately does not serve (it computes no reports). */
        NOT_IMPLEMENTED,
        /** The store is unreachable or stayed locked past its busy timeout; the same request may succeed later. */
        UNAVAILABLE,
        /**
         * The target exists but has not reached the state the operation needs, and Mixpanel's 405 for a cancel
         * does not apply (the certificate of a deletion that has not finished, or did not succeed).
         */
        NOT_READY
    }

    /**
     * The {@code Retry-After} when the store is unavailable: a lock held past the busy timeout (a rebuild
     * of the embedded store, see docs/erasure.md) or an unreachable database; a few seconds is a fair
     * first wait, and clients that back off further are welcome to.
     */
    public static final long STORE_RETRY_AFTER_SECONDS = 5;

    private final Reason reason;
    private final transient ObjectNode details;
    private final Long retryAfterSeconds;

    private DomainException(Reason reason, String message, ObjectNode details, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static DomainException invalidInput(String message) {
        return new DomainException(Reason.INVALID_INPUT, message, null, null);
    }

    /** Invalid input with fields the caller can act on (e.g. which records failed). */
    public static DomainException invalidInput(String message, ObjectNode details) {
        return new DomainException(Reason.INVALID_INPUT, message, details, null);
    }

    public static DomainException unauthenticated(String message) {
        return new DomainException(Reason.UNAUTHENTICATED, message, null, null);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Reason.FORBIDDEN, message, null, null);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Reason.NOT_FOUND, message, null, null);
    }

    public static DomainException notFound(String message, ObjectNode details) {
        return new DomainException(Reason.NOT_FOUND, message, details, null);
    }

    public static DomainException stateConflict(String message) {
        return new DomainException(Reason.STATE_CONFLICT, message, null, null);
    }

    public static DomainException notReady(String message) {
        return new DomainException(Reason.NOT_READY, message, null, null);
    }

    /** Not ready yet, and likely to be after about {@code retryAfterSeconds}. */
    public static DomainException notReady(String message, long retryAfterSeconds) {
        return new DomainException(Reason.NOT_READY, message, null, retryAfterSeconds);
    }

    public static DomainException gone(String message) {
        return new DomainException(Reason.GONE, message, null, null);
    }

    public static DomainException tooLarge(String message) {
        return new DomainException(Reason.TOO_LARGE, message, null, null);
    }

    public static DomainException unsupportedEncoding(String message) {
        return new DomainException(Reason.UNSUPPORTED_ENCODING, message, null, null);
    }

    public static DomainException rateLimited(String message, long retryAfterSeconds) {
        return new DomainException(Reason.RATE_LIMITED, message, null, Math.max(1, retryAfterSeconds));
    }

    public static DomainException notImplemented(String message) {
        return new DomainException(Reason.NOT_IMPLEMENTED, message, null, null);
    }

    public static DomainException unavailable(String message, ObjectNode details) {
        return new DomainException(Reason.UNAVAILABLE, message, details, STORE_RETRY_AFTER_SECONDS);
    }

    public Reason reason() {
        return reason;
    }

    /** Extra fields for the error body, or null. */
    public ObjectNode details() {
        return details;
    }

    /** Seconds the caller should wait before trying again, or null when waiting does not help. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
