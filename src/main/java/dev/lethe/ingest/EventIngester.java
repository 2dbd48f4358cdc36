package dev.lethe.ingest;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.event.EventStore;
import dev.lethe.event.PropertyShape;
import dev.lethe.identity.IdentityStore;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores normalised events and the identity links they declare, for every ingestion path.
 * A batch is one transaction: all of it is written or none. Events naming a suppressed id are
 * dropped before the transaction and counted against the suppression, never stored.
 */
public final class EventIngester {

    /**
     * An event as it will be stored, and the project it goes to: its properties already
     * serialised ({@code null} for {@code $create_alias}, which only declares a link) and the
     * ids it names. Flattened when routed, not when stored: the bulk path routes on its parsing
     * thread, so the writer thread only writes, and a queued batch holds no JSON trees.
     */
    public record Routed(long projectId, String distinctId, String event, long timeMs, String insertId,
                         List<IdentityLink> links, boolean analytics, Set<String> mentionedIds, String propertiesJson,
                         List<PropertyShape> shapes) {

        public Routed(long projectId, NormalizedEvent e) {
            this(projectId, e.distinctId(), e.event(), e.timeMs(), e.insertId(), List.copyOf(e.links()), e.analytics(),
                    e.mentionedIds(), e.analytics() ? Json.write(e.properties()) : null,
                    e.analytics() ? PropertyShape.ofEvent(e.properties()) : List.of());
        }
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
    private final EventSchemaStore schema;
    private final IdentityStore links;
    private final SuppressionFilter suppression;
    private final StoreActivity activity;
    private final Clock clock;

    public EventIngester(Database db, EventStore events, EventSchemaStore schema, IdentityStore links, SuppressionFilter suppression,
                         StoreActivity activity, Clock clock) {
        this.db = db;
        this.schema = schema;
        this.activity = activity;
        this.events = events;
        this.links = links;
        this.suppression = suppression;
        this.clock = clock;
    }

    /** @param source the endpoint that received the batch: track, import or load */
    public Outcome ingest(List<Routed> batch, String source) {
        Map<Long, List<Routed>> byProject = new LinkedHashMap<>();
        for (Routed r : batch) {
            byProject.computeIfAbsent(r.projectId(), id -> new ArrayList<>()).add(r);
        }
        SuppressionFilter.Kept<Routed> kept = suppression.filter(byProject, Routed::mentionedIds);
        long now = clock.millis();
        int[] analyticsAndStored;
        try (StoreActivity.Work ignored = activity.begin()) {
            analyticsAndStored = db.inTransaction(c -> {
                int analytics = 0;
                int stored = 0;
                for (Map.Entry<Long, List<Routed>> project : kept.byProject().entrySet()) {
                    List<EventRecord> records = new ArrayList<>(project.getValue().size());
                    EventSchemaStore.Tally tally = new EventSchemaStore.Tally();
                    for (Routed e : project.getValue()) {
                        for (IdentityLink link : e.links()) {
                            links.link(c, project.getKey(), link.a(), link.b(), link.kind(), now);
                        }
                        if (e.analytics()) {
                            records.add(new EventRecord(e.distinctId(), e.event(), e.timeMs(), e.insertId(), source,
                                    e.propertiesJson(), now));
                            tally.add(e.event(), e.shapes(), now);
                        }
                    }
                    analytics += records.size();
                    stored += events.insert(c, project.getKey(), records);
                    // why: in the same transaction, so the schema never names an event that was not stored
                    schema.record(c, project.getKey(), tally);
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
