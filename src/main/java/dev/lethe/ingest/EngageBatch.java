package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** An {@code /engage} payload: each update names its project by {@code $token} and is checked on its own. */
public final class EngageBatch {

    private EngageBatch() {
    }

    public static UpdateBatch<ProfileIngester.Routed> parse(JsonNode payload, ProjectTokens.Lookup projects) {
        return UpdateBatch.check(payload, "$distinct_id", record -> {
            ProfileUpdate update = ProfileUpdate.parse(record);
            return new ProfileIngester.Routed(projects.project(update.token()).id(), update);
        });
    }
}
