package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** A {@code /groups} payload: each update names its project by {@code $token} and is checked on its own. */
public final class GroupBatch {

    private GroupBatch() {
    }

    public static UpdateBatch<GroupIngester.Routed> parse(JsonNode payload, ProjectTokens.Lookup projects) {
        return UpdateBatch.check(payload, "$group_id", record -> {
            GroupUpdate update = GroupUpdate.parse(record);
            return new GroupIngester.Routed(projects.project(update.token()).id(), update);
        });
    }
}
