package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** An {@code /engage} payload: each update names its project by {@code $token} and is checked on its own. */
public final class EngageBatch {

    private EngageBatch() {
    }

    public static UpdateBatch<ProfileIngester.Routed> parse(List<JsonNode> records, ProjectTokens.Lookup projects) {
        return UpdateBatch.check(records, "$distinct_id", record -> {
            ProfileUpdate update = ProfileUpdate.parse(record);
            return new ProfileIngester.Routed(projects.project(update.token()).id(), update);
        });
    }
}
