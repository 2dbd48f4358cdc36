package dev.lethe.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.store.StoreException;
import io.javalin.Javalin;
import org.eclipse.jetty.http.BadMessageException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.InternalRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a refusal becomes a response. Each {@link DomainException.Reason} has one status;
 * the body is the contract's {@code {"status": "error", "error": ...}} plus the refusal's details, or,
 * on a route that declared {@link #useLegacyShape}, the answer the Mixpanel SDKs parse ({@code 0}, or
 * {@code {"status": 0, "error": ...}} with {@code verbose=1}), keeping the same status.
 */
public final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final String RENDERED = "lethe.error-rendered";
    private static final String LEGACY_VERBOSE = "lethe.legacy-verbose";
    private static final String STORE_UNAVAILABLE = "the store is busy or unavailable; retry later";
    private static final String INGEST_UNAVAILABLE = "the event store is busy or unavailable; nothing was stored; retry later";

    private ErrorMapper() {
    }

    static void register(Javalin app) {
        app.exception(DomainException.class, (e, ctx) -> render(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            List<String> allowed = e.getStatus() == 404 ? otherMethods(app, ctx) : List.of();
            if (allowed.isEmpty()) {
                render(ctx, e.getStatus(), clientMessage(e), null, null);
            } else {
                ctx.header("Allow", String.join(", ", allowed));
                render(ctx, 405, "method not allowed: " + ctx.req().getMethod() + " " + ctx.path() + " takes "
                        + String.join(" or ", allowed), null, null);
            }
        });
        // why: Jetty refuses a body slower than the minimum data rate (408) from inside the handler's read.
        app.exception(BadMessageException.class, (e, ctx) -> render(ctx, e.getCode(),
                e.getCode() == 408 ? "the request body arrived too slowly" : "malformed request", null, null));
        app.exception(StoreException.class, (e, ctx) -> {
            // why: a lock held past the busy timeout (a rebuild of the embedded store) or an unreachable
            // database is not the client's fault, and the same request may well succeed later.
            log.warn("store unavailable on {} {}: {}", ctx.method(), ctx.matchedPath(), e.getMessage());
            String message = ctx.attribute(LEGACY_VERBOSE) != null ? INGEST_UNAVAILABLE : STORE_UNAVAILABLE;
            render(ctx, DomainException.unavailable(message, null));
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("internal error on {} {}", ctx.method(), ctx.matchedPath(), e);
            render(ctx, 500, "internal error", null, null);
        });
        app.error(404, ctx -> {
            if (ctx.attribute(RENDERED) == null) {
                render(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null, null);
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(RENDERED) == null) {
                render(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path(), null, null);
            }
        });
    }

    /**
     * Declares that this request's refusals take the SDK's answer shape; {@code verbose} may be set again
     * once the body is read (SDKs put the flag in the query or in the form).
     */
    public static void useLegacyShape(Context ctx, boolean verbose) {
        ctx.attribute(LEGACY_VERBOSE, verbose);
    }

    /**
     * Declares that this request's refusal has been answered in another shape (the console's pages), so the
     * 404 and 405 fallbacks, which Javalin runs on any answer with those statuses, leave it as it is.
     */
    public static void answered(Context ctx) {
        ctx.attribute(RENDERED, Boolean.TRUE);
    }

    /** The status of each reason; the only such mapping in Lethe. */
    public static int status(DomainException.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            // why: Mixpanel's GDPR API answers 405 to a cancel of a task that can no longer be cancelled.
            case STATE_CONFLICT -> 405;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_ENCODING -> 415;
            case RATE_LIMITED -> 429;
            case NOT_IMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case NOT_READY -> 409;
        };
    }

    /** The contract's JSON error body. */
    public static ObjectNode body(String message, ObjectNode details) {
        ObjectNode body = Json.object();
        body.put("status", "error");
        body.put("error", message);
        if (details != null) {
            body.setAll(details);
        }
        return body;
    }

    static void render(Context ctx, DomainException e) {
        render(ctx, status(e.reason()), e.getMessage(), e.details(), e.retryAfterSeconds());
    }

    private static void render(Context ctx, int status, String message, ObjectNode details, Long retryAfterSeconds) {
        ctx.attribute(RENDERED, Boolean.TRUE);
        ctx.status(status);
        if (retryAfterSeconds != null) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        ctx.contentType("application/json");
        Boolean legacyVerbose = ctx.attribute(LEGACY_VERBOSE);
        if (legacyVerbose == null) {
            ctx.result(Json.write(body(message, details)));
        } else if (legacyVerbose) {
            ObjectNode body = Json.object();
            body.put("status", 0);
            body.put("error", message);
            ctx.result(Json.write(body));
        } else {
            ctx.result("0");
        }
    }

    /**
     * The methods the request's path has routes for, when its own has none: a known path asked with the wrong method
     * is a 405 naming the right ones, not "no such endpoint". Javalin's own switch for this counts the CORS preflight
     * route on every path ({@code OPTIONS /*}), which would make every unknown path a 405.
     */
    static List<String> otherMethods(Javalin app, Context ctx) {
        InternalRouter router = app.unsafeConfig().pvt.internalRouter;
        HandlerType own = HandlerType.Companion.findByName(ctx.req().getMethod());
        if (own != HandlerType.INVALID && router.hasHttpHandlerEntry(own, ctx.path())) {
            // why: the route exists and itself answered 404 (say, an unknown id): that 404 stands
            return List.of();
        }
        List<String> allowed = new ArrayList<>();
        for (HandlerType type : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            if (router.hasHttpHandlerEntry(type, ctx.path())) {
                allowed.add(type.name());
            }
        }
        return allowed;
    }

    private static String clientMessage(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> "request body is larger than the configured limit";
            default -> e.getMessage() == null ? "bad request" : e.getMessage();
        };
    }
}
