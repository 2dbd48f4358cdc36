package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A {@code /track} payload: each event names its project by {@code properties.token}; one bad record refuses the batch. */
public final class TrackBatch {

    private TrackBatch() {
    }

    /**
     * The batch's events routed to their projects.
     *
     * @param clientIp the caller's address, put in {@code $ip} where absent, or null to add none
     */
    public static List<EventIngester.Routed> parse(List<JsonNode> records, ProjectTokens.Lookup projects, long nowMs, String clientIp) {
        List<EventIngester.Routed> batch = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                JsonNode token = records.get(i).path("properties").get("token");
                String t = EventNormalizer.text(token, "token");
                if (t == null || t.isEmpty()) {
                    throw new InvalidRecord("token", "properties.token is missing");
                }
                long projectId = projects.project(t).id();
                NormalizedEvent event = EventNormalizer.normalize(records.get(i), Validation.TRACK, nowMs);
                if (clientIp != null && !event.properties().has("$ip")) {
                    event.properties().put("$ip", clientIp);
                }
                batch.add(new EventIngester.Routed(projectId, event));
            } catch (InvalidRecord e) {
                throw Batches.invalid(i, e, records.size());
            }
        }
        return batch;
    }
}
