package dev.lethe.web.ingest;

import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.ImportBatch;
import dev.lethe.ingest.Validation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
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
        IngestRequest query = IngestRequest.query(ctx);
        if (query.hasData() || isForm(ctx)) {
            LegacyReply.expect(ctx, SdkFlags.verboseInQuery(ctx));
        }
        // why: a caller without credentials must not make Lethe read, decode and parse up to the body limit.
        ImportAuth.Caller early = auth.decidableFromQuery(ctx, query) ? auth.authenticate(ctx, query) : null;
        IngestRequest request = IngestRequest.read(ctx, reader);
        if (request.hasData()) {
            handleLegacy(ctx, request, early);
            return;
        }
        ImportAuth.Caller caller = early != null ? early : auth.authenticate(ctx, request);
        long projectId = caller.project().id();
        boolean strict = request.flag("strict");
        ImportBatch batch = ImportBatch.validate(projectId, request.records(),
                strict ? Validation.STRICT : Validation.IMPORT, clock.millis());
        if (!batch.failures().isEmpty()) {
            ingester.refused("import", request.records().size());
            throw strict ? batch.strictFailure() : batch.failure();
        }
        EventIngester.Outcome outcome = ingester.ingest(batch.events(), "import", caller.credential());
        ObjectNode body = Json.object();
        body.put("code", 200);
        body.put("num_records_imported", outcome.accepted());
        body.put("status", "OK");
        ctx.status(200).json(body);
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("x-www-form-urlencoded");
    }

    private void handleLegacy(Context ctx, IngestRequest request, ImportAuth.Caller early) {
        boolean verbose = request.flag("verbose");
        LegacyReply.expect(ctx, verbose);
        ImportAuth.Caller caller = early != null ? early : auth.authenticate(ctx, request);
        long projectId = caller.project().id();
        List<JsonNode> records = request.records();
        ImportBatch batch = ImportBatch.validate(projectId, records, Validation.IMPORT, clock.millis());
        if (!batch.failures().isEmpty()) {
            ingester.refused("import", records.size());
            throw batch.failure();
        }
        ingester.ingest(batch.events(), "import", caller.credential());
        LegacyReply.ok(ctx, verbose);
    }
}
