package dev.lethe.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.http.ApiException;
import dev.lethe.json.Json;
import dev.lethe.store.StoreException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers the SDKs parse on {@code /track}, {@code /engage} and legacy {@code /import}: exactly
 * {@code 1} or {@code 0} (no newline), or {@code {"status": 1|0, "error": ...}} with {@code verbose=1}.
 * A failure keeps the 4xx status of its cause, so clients that look at the status see it too.
 */
final class LegacyReply {

    private static final Logger log = LoggerFactory.getLogger(LegacyReply.class);
    private static final String INGEST_UNAVAILABLE = "the event store is busy or unavailable; nothing was stored; retry later";

    private LegacyReply() {
    }

    static void ok(Context ctx, boolean verbose) {
        ctx.status(200).contentType("application/json");
        if (verbose) {
            ObjectNode body = Json.object();
            body.put("status", 1);
            body.putNull("error");
            ctx.result(Json.write(body));
        } else {
            ctx.result("1");
        }
    }

    /**
     * The store could not take the batch (unreachable, or locked past the busy timeout): 503 with
     * {@code Retry-After}, in the SDK's answer format. Nothing of the batch was stored.
     */
    static void storeUnavailable(Context ctx, StoreException e, boolean verbose) {
        log.warn("{} {}: the store is unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
        fail(ctx, ApiException.storeUnavailable(INGEST_UNAVAILABLE, null), verbose);
    }

    static void fail(Context ctx, ApiException e, boolean verbose) {
        ctx.status(e.status()).contentType("application/json");
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", e.retryAfterSeconds());
        }
        if (verbose) {
            ObjectNode body = Json.object();
            body.put("status", 0);
            body.put("error", e.getMessage());
            ctx.result(Json.write(body));
        } else {
            ctx.result("0");
        }
    }
}
