package dev.lethe.web.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.ingest.RecordFailure;
import dev.lethe.ingest.UpdateBatch;
import dev.lethe.json.Json;
import io.javalin.http.Context;

/**
 * The answer to an {@code /engage} or {@code /groups} batch whose valid updates were applied. The
 * SDKs read {@code 1}/{@code 0}, so those stay: {@code 1} when every update was applied; when some
 * were not, {@code 0} with status 200 (Mixpanel answers 200 on these endpoints, and part of the
 * batch did land), or, with {@code verbose=1} or {@code strict=1}, {@code {"status": 0, "error": ...,
 * "num_good_events": N, "failed_records": [...]}}. A batch of which nothing could be applied is
 * refused with the status of its first failure, as before.
 */
final class UpdateReply {

    private UpdateReply() {
    }

    static void send(Context ctx, IngestRequest request, UpdateBatch<?> batch, int applied) {
        boolean verbose = request.flag("verbose");
        if (batch.failures().isEmpty()) {
            LegacyReply.ok(ctx, verbose);
            return;
        }
        if (batch.valid().isEmpty()) {
            throw batch.refusal();
        }
        ctx.status(200).contentType("application/json");
        if (!verbose && !request.flag("strict")) {
            ctx.result("0");
            return;
        }
        ObjectNode body = Json.object();
        body.put("status", 0);
        body.put("error", batch.summary(applied));
        body.put("num_good_events", applied);
        ArrayNode failed = body.putArray("failed_records");
        for (RecordFailure f : batch.failures()) {
            ObjectNode record = failed.addObject();
            record.put("index", f.index());
            record.put(batch.idField(), f.id());
            record.put("field", f.field());
            record.put("message", f.message());
        }
        ctx.result(Json.write(body));
    }
}
