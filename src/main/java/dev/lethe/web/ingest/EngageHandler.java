package dev.lethe.web.ingest;

import dev.lethe.ingest.EngageBatch;
import dev.lethe.ingest.ProfileIngester;
import dev.lethe.ingest.ProjectTokens;
import io.javalin.http.Context;

/**
 * {@code GET|POST /engage}: one profile update or a batch, each with its {@code $token}. Applied
 * in one transaction, or refused whole.
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
        boolean verbose = request.flag("verbose");
        LegacyReply.expect(ctx, verbose);
        ingester.apply(EngageBatch.parse(request.records(), tokens.lookup()));
        LegacyReply.ok(ctx, verbose);
    }
}
