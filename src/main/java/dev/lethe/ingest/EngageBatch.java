package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** An {@code /engage} payload: each update names its project by {@code $token}; one bad record refuses the batch. */
public final class EngageBatch {

    private EngageBatch() {
    }

    public static List<ProfileIngester.Routed> parse(List<JsonNode> records, ProjectTokens.Lookup projects) {
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
