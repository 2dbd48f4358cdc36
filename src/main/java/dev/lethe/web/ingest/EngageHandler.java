package dev.lethe.web.ingest;

import dev.lethe.ingest.EngageBatch;
import dev.lethe.ingest.ProfileIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.UpdateBatch;
import io.javalin.http.Context;

/**
 * {@code GET|POST /engage}: one profile update or a batch, each with its {@code $token}, checked
 * update by update; the valid ones are applied in one transaction (see {@link UpdateReply}).
 */
public final class EngageHandler {

    private final BodyReader reader;
    private final ProjectTokens tokens;
    private final ProfileIngester ingester;

    public EngageHandler(long maxBodyBytes, ProjectTokens tokens, ProfileIngester ingester) {
        this.reader = new BodyReader(maxBodyBytes);
        this.tokens = tokens;
        this.ingester = ingester;
    }

    public void handle(Context ctx) {
        LegacyReply.expect(ctx, SdkFlags.verboseInQuery(ctx));
        IngestRequest request = IngestRequest.read(ctx, reader);
        LegacyReply.expect(ctx, request.flag("verbose"));
        UpdateBatch<ProfileIngester.Routed> batch = EngageBatch.parse(request.records(), tokens.lookup());
        int applied = batch.valid().isEmpty() ? 0 : ingester.apply(batch.valid());
        UpdateReply.send(ctx, request, batch, applied);
    }
}
