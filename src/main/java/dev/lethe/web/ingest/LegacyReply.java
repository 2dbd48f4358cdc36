package dev.lethe.web.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.web.ErrorMapper;
import io.javalin.http.Context;

/**
 * The answers the SDKs parse on {@code /track}, {@code /engage} and legacy {@code /import}: exactly
 * {@code 1} or {@code 0} (no newline), or {@code {"status": 1|0, "error": ...}} with {@code verbose=1}.
 * Refusals are rendered by {@link ErrorMapper} in this shape, keeping the 4xx status of their cause,
 * so clients that look at the status see it too.
 */
final class LegacyReply {

    private LegacyReply() {
    }

    /** From here on, a refusal of this request is answered in the SDK's shape. */
    static void expect(Context ctx, boolean verbose) {
        ErrorMapper.useLegacyShape(ctx, verbose);
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
}
