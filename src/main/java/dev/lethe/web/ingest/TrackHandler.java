package dev.lethe.web.ingest;

import dev.lethe.ingest.Credential;
import dev.lethe.domain.DomainException;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.TrackBatch;
import io.javalin.http.Context;

import java.time.Clock;
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
        LegacyReply.expect(ctx, SdkFlags.verboseInQuery(ctx));
        IngestRequest request = IngestRequest.read(ctx, reader);
        boolean verbose = request.flag("verbose");
        LegacyReply.expect(ctx, verbose);
        List<EventIngester.Routed> batch;
        try {
            batch = TrackBatch.parse(request.records(), tokens.lookup(), clock.millis(), request.flag("ip") ? ctx.ip() : null);
        } catch (DomainException e) {
            ingester.refused("track", request.records().size());
            throw e;
        }
        ingester.ingest(batch, "track", Credential.PROJECT_TOKEN);
        LegacyReply.ok(ctx, verbose);
    }
}
