package dev.lethe.web.ingest;

import dev.lethe.ingest.Batches;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.ImportBatch;
import dev.lethe.ingest.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /import}: a batch of historical events for the authenticated project. A JSON body
 * gets Mixpanel's JSON summary; a legacy {@code data=} request gets {@code 1}/{@code 0}. Either
 * way the batch is stored whole or refused whole.
 */
public final class ImportHandler {

    private final BodyReader reader;
    private final ImportAuth auth;
    private final EventIngester ingester;
    private final Clock clock;

    public ImportHandler(long maxBodyBytes, ImportAuth auth, EventIngester ingester, Clock clock) {
        this.reader = new BodyReader(maxBodyBytes);
        this.auth = auth;
        this.ingester = ingester;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        IngestRequest request = IngestRequest.read(ctx, reader);
        if (request.hasData()) {
            handleLegacy(ctx, request);
            return;
        }
        ImportAuth.Caller caller = auth.authenticate(ctx, request);
        long projectId = caller.project().id();
        boolean strict = request.flag("strict");
        ImportBatch batch = ImportBatch.validate(projectId, Batches.records(request.payload()),
                strict ? Validation.STRICT : Validation.IMPORT, clock.millis());
        if (!batch.failures().isEmpty()) {
            throw strict ? batch.strictFailure() : batch.failure();
        }
        EventIngester.Outcome outcome = ingester.ingest(batch.events(), "import", caller.credential());
        ObjectNode body = Json.object();
        body.put("code", 200);
        body.put("num_records_imported", outcome.accepted());
        body.put("status", "OK");
        ctx.status(200).json(body);
    }

    private void handleLegacy(Context ctx, IngestRequest request) {
        boolean verbose = request.flag("verbose");
        LegacyReply.expect(ctx, verbose);
        ImportAuth.Caller caller = auth.authenticate(ctx, request);
        long projectId = caller.project().id();
        List<JsonNode> records = Batches.records(request.payload());
        ImportBatch batch = ImportBatch.validate(projectId, records, Validation.IMPORT, clock.millis());
        if (!batch.failures().isEmpty()) {
            throw batch.failure();
        }
        ingester.ingest(batch.events(), "import", caller.credential());
        LegacyReply.ok(ctx, verbose);
    }
}
