package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.http.ApiException;
import dev.lethe.store.StoreException;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET|POST /track}: one event or a batch, each carrying its project's token in
 * {@code properties.token}. The batch is stored whole or refused whole.
 */
public final class TrackHandler {

    private final BodyReader reader;
    private final ProjectTokens tokens;
    private final EventIngester ingester;
    private final Clock clock;

    public TrackHandler(long maxBodyBytes, ProjectTokens tokens, EventIngester ingester, Clock clock) {
        this.reader = new BodyReader(maxBodyBytes);
        this.tokens = tokens;
        this.ingester = ingester;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        boolean verbose = SdkFlags.verboseInQuery(ctx);
        try {
            IngestRequest request = IngestRequest.read(ctx, reader);
            verbose = request.flag("verbose");
            List<EventIngester.Routed> batch = parse(request, ctx.ip());
            ingester.ingest(batch, "track");
            LegacyReply.ok(ctx, verbose);
        } catch (ApiException e) {
            LegacyReply.fail(ctx, e, verbose);
        } catch (StoreException e) {
            LegacyReply.storeUnavailable(ctx, e, verbose);
        }
    }

    private List<EventIngester.Routed> parse(IngestRequest request, String clientIp) {
        List<JsonNode> records = Batches.records(request.payload());
        boolean addIp = request.flag("ip");
        long now = clock.millis();
        ProjectTokens.Lookup projects = tokens.lookup();
        List<EventIngester.Routed> batch = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                JsonNode token = records.get(i).path("properties").get("token");
                String t = EventNormalizer.text(token, "token");
                if (t == null || t.isEmpty()) {
                    throw new InvalidRecord("token", "properties.token is missing");
                }
                long projectId = projects.project(t).id();
                NormalizedEvent event = EventNormalizer.normalize(records.get(i), Validation.TRACK, now);
                if (addIp && !event.properties().has("$ip")) {
                    event.properties().put("$ip", clientIp);
                }
                batch.add(new EventIngester.Routed(projectId, event));
            } catch (InvalidRecord e) {
                throw Batches.invalid(i, e, records.size());
            }
        }
        return batch;
    }
}
