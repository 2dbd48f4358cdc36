package dev.lethe.ingest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A {@code /groups} payload: each update names its project by {@code $token} and is checked on its own. */
public final class GroupBatch {

    private GroupBatch() {
    }

    public static UpdateBatch<GroupIngester.Routed> parse(List<JsonNode> records, ProjectTokens.Lookup projects) {
        return UpdateBatch.check(records, "$group_id", record -> {
            GroupUpdate update = GroupUpdate.parse(record);
            return new GroupIngester.Routed(projects.project(update.token()).id(), update);
        });
    }
}
