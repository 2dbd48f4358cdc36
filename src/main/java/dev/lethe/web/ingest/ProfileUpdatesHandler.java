package dev.lethe.web.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.ingest.EngageBatch;
import dev.lethe.ingest.GroupBatch;
import dev.lethe.ingest.GroupIngester;
import dev.lethe.ingest.ProfileIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.UpdateBatch;
import io.javalin.http.Context;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/**
 * {@code GET|POST /engage} and {@code /groups}: one profile update or a batch, each with its {@code $token},
 * checked update by update; the valid ones are applied in one transaction (see {@link UpdateReply}). The two
 * endpoints differ only in how an update is parsed and where it is applied.
 *
 * @param <T> an update routed to its project
 */
public final class ProfileUpdatesHandler<T> {

    private final BodyReader reader;
    private final ProjectTokens tokens;
    private final BiFunction<List<JsonNode>, ProjectTokens.Lookup, UpdateBatch<T>> parse;
    private final ToIntFunction<List<T>> apply;

    private ProfileUpdatesHandler(long maxBodyBytes, ProjectTokens tokens,
                                  BiFunction<List<JsonNode>, ProjectTokens.Lookup, UpdateBatch<T>> parse, ToIntFunction<List<T>> apply) {
        this.reader = new BodyReader(maxBodyBytes);
        this.tokens = tokens;
        this.parse = parse;
        this.apply = apply;
    }

    /** {@code /engage}: people's profiles. */
    public static ProfileUpdatesHandler<ProfileIngester.Routed> engage(long maxBodyBytes, ProjectTokens tokens, ProfileIngester ingester) {
        return new ProfileUpdatesHandler<>(maxBodyBytes, tokens, EngageBatch::parse, ingester::apply);
    }

    /** {@code /groups}: group profiles. */
    public static ProfileUpdatesHandler<GroupIngester.Routed> groups(long maxBodyBytes, ProjectTokens tokens, GroupIngester ingester) {
        return new ProfileUpdatesHandler<>(maxBodyBytes, tokens, GroupBatch::parse, ingester::apply);
    }

    public void handle(Context ctx) {
        LegacyReply.expect(ctx, SdkFlags.verboseInQuery(ctx));
        IngestRequest request = IngestRequest.read(ctx, reader);
        LegacyReply.expect(ctx, request.flag("verbose"));
        UpdateBatch<T> batch = parse.apply(request.records(), tokens.lookup());
        int applied = batch.valid().isEmpty() ? 0 : apply.applyAsInt(batch.valid());
        UpdateReply.send(ctx, request, batch, applied);
    }
}
