package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.http.ApiException;
import dev.lethe.store.StoreException;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

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
        boolean verbose = SdkFlags.verboseInQuery(ctx);
        try {
            IngestRequest request = IngestRequest.read(ctx, reader);
            verbose = request.flag("verbose");
            ingester.apply(parse(request));
            LegacyReply.ok(ctx, verbose);
        } catch (ApiException e) {
            LegacyReply.fail(ctx, e, verbose);
        } catch (StoreException e) {
            LegacyReply.storeUnavailable(ctx, e, verbose);
        }
    }

    private List<ProfileIngester.Routed> parse(IngestRequest request) {
        List<JsonNode> records = Batches.records(request.payload());
        ProjectTokens.Lookup projects = tokens.lookup();
        List<ProfileIngester.Routed> updates = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                ProfileUpdate update = ProfileUpdate.parse(records.get(i));
                updates.add(new ProfileIngester.Routed(projects.project(update.token()).id(), update));
            } catch (InvalidRecord e) {
                throw Batches.invalid(i, e, records.size());
            }
        }
        return updates;
    }
}
