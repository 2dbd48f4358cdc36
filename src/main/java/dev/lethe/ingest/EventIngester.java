package dev.lethe.ingest;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores normalised events and the identity links they declare, for every ingestion path.
 * A batch is one transaction: all of it is written or none. Events naming a suppressed id are
 * dropped before the transaction and counted against the suppression, never stored.
 */
public final class EventIngester {

    /** An event and the project it goes to. */
    public record Routed(long projectId, NormalizedEvent event) {
    }

    /**
     * @param accepted   events not dropped (aliases included)
     * @param stored     rows that were new
     * @param duplicates analytics events already stored (same distinct_id, time, event, $insert_id)
     * @param dropped    events of suppressed ids
     */
    public record Outcome(int accepted, int stored, int duplicates, int dropped) {
    }

    private final Database db;
    private final EventStore events;
    private final IdentityStore links;
    private final SuppressionFilter suppression;
    private final StoreActivity activity;
    private final Clock clock;

    public EventIngester(Database db, EventStore events, IdentityStore links, SuppressionFilter suppression, StoreActivity activity,
                         Clock clock) {
        this.db = db;
        this.activity = activity;
        this.events = events;
        this.links = links;
        this.suppression = suppression;
        this.clock = clock;
    }

    /** @param source the endpoint that received the batch: track, import or load */
    public Outcome ingest(List<Routed> batch, String source) {
        Map<Long, List<NormalizedEvent>> byProject = new LinkedHashMap<>();
        for (Routed r : batch) {
            byProject.computeIfAbsent(r.projectId(), id -> new ArrayList<>()).add(r.event());
        }
        SuppressionFilter.Kept<NormalizedEvent> kept = suppression.filter(byProject, NormalizedEvent::mentionedIds);
        long now = clock.millis();
        int[] analyticsAndStored;
        try (StoreActivity.Work ignored = activity.begin()) {
            analyticsAndStored = db.inTransaction(c -> {
                int analytics = 0;
                int stored = 0;
                for (Map.Entry<Long, List<NormalizedEvent>> project : kept.byProject().entrySet()) {
                    List<EventRecord> records = new ArrayList<>(project.getValue().size());
                    for (NormalizedEvent e : project.getValue()) {
                        for (IdentityLink link : e.links()) {
                            links.link(c, project.getKey(), link.a(), link.b(), link.kind(), now);
                        }
                        if (e.analytics()) {
                            records.add(new EventRecord(e.distinctId(), e.event(), e.timeMs(), e.insertId(), source,
                                    Json.write(e.properties()), now));
                        }
                    }
                    analytics += records.size();
                    stored += events.insert(c, project.getKey(), records);
                }
                return new int[] {analytics, stored};
            });
            // why: counted after the commit; on SQLite a second writer inside our transaction would wait on us.
            suppression.countDropped(kept);
        }
        return new Outcome(batch.size() - kept.dropped(), analyticsAndStored[1],
                analyticsAndStored[0] - analyticsAndStored[1], kept.dropped());
    }
}
