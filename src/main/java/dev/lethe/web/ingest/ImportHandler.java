package dev.lethe.web.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.ImportBatch;
import dev.lethe.ingest.RecordFailure;
import dev.lethe.ingest.Validation;
import dev.lethe.json.Json;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /import}: a batch of historical events for the authenticated project, checked record
 * by record. The valid records are stored (in one transaction) whatever the others hold, as Mixpanel
 * does. A JSON body gets Mixpanel's summary: {@code 200} when every record was stored, and with
 * {@code strict=1} its partial-failure {@code 400} listing {@code failed_records}; a legacy
 * {@code data=} request gets {@code 1}/{@code 0}.
 */
public final class ImportHandler {

    /** Mixpanel's wording, kept so clients that match on it keep working. */
    static final String PARTIAL_FAILURE = "some data points in the request failed validation";

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
        boolean strict = request.zeroOrOne("strict");
        ImportBatch batch = ImportBatch.validate(projectId, request.records(),
                strict ? Validation.STRICT : Validation.IMPORT, clock.millis());
        int imported = store(batch, caller);
        ObjectNode body = Json.object();
        if (strict && !batch.failures().isEmpty()) {
            body.put("code", 400);
            body.put("error", PARTIAL_FAILURE);
            body.set("failed_records", failedRecords(batch.failures()));
            body.put("num_records_imported", imported);
            body.put("status", "Bad Request");
            ctx.status(400).json(body);
            return;
        }
        if (batch.events().isEmpty() && !batch.failures().isEmpty()) {
            ObjectNode details = Json.object();
            details.put("num_records_imported", 0);
            details.set("failed_records", failedRecords(batch.failures()));
            throw DomainException.invalidInput(batch.summary(0), details);
        }
        body.put("code", 200);
        if (!batch.failures().isEmpty()) {
            // why: without strict Mixpanel drops bad records silently; saying which ones costs a client nothing.
            body.set("failed_records", failedRecords(batch.failures()));
        }
        body.put("num_records_imported", imported);
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
        int imported = store(batch, caller);
        if (!batch.failures().isEmpty()) {
            // why: the SDK's answer has room for one flag; 0 says "not all of it", and a re-send dedupes.
            throw DomainException.invalidInput(batch.summary(imported));
        }
        LegacyReply.ok(ctx, verbose);
    }

    /** Stores the valid events; returns how many count as imported (duplicates do, suppressed ones do not). */
    private int store(ImportBatch batch, ImportAuth.Caller caller) {
        if (!batch.failures().isEmpty()) {
            ingester.refused("import", batch.failures().size());
        }
        return batch.events().isEmpty() ? 0 : ingester.ingest(batch.events(), "import", caller.credential()).accepted();
    }

    private static ArrayNode failedRecords(List<RecordFailure> failures) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (RecordFailure f : failures) {
            ObjectNode record = array.addObject();
            record.put("index", f.index());
            record.put("insert_id", f.id());
            record.put("field", f.field());
            record.put("message", f.message());
        }
        return array;
    }
}
