package dev.lethe.web.ingest;

import dev.lethe.ingest.GroupBatch;
import dev.lethe.ingest.GroupIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.UpdateBatch;
import io.javalin.http.Context;

/**
 * {@code GET|POST /groups}: one group profile update or a batch, each with its {@code $token},
 * checked update by update; the valid ones are applied in one transaction (see {@link UpdateReply}).
 */
public final class GroupsHandler {

    private final BodyReader reader;
    private final ProjectTokens tokens;
    private final GroupIngester ingester;

    public GroupsHandler(long maxBodyBytes, ProjectTokens tokens, GroupIngester ingester) {
        this.reader = new BodyReader(maxBodyBytes);
        this.tokens = tokens;
        this.ingester = ingester;
    }

    public void handle(Context ctx) {
        LegacyReply.expect(ctx, SdkFlags.verboseInQuery(ctx));
        IngestRequest request = IngestRequest.read(ctx, reader);
        LegacyReply.expect(ctx, request.flag("verbose"));
        UpdateBatch<GroupIngester.Routed> batch = GroupBatch.parse(request.records(), tokens.lookup());
        UpdateReply.send(ctx, request, batch, ingester.apply(batch.valid()));
    }
}
