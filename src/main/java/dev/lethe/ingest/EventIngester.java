package dev.lethe.ingest;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.event.EventStore;
import dev.lethe.event.PropertyShape;
import dev.lethe.identity.LinkKind;
import dev.lethe.json.Json;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stores normalised events and the identity links they declare, for every ingestion path.
 * A batch is one transaction: all of it is written or none. Events naming a suppressed id are
 * dropped before the transaction and counted against the suppression, never stored.
 */
public final class EventIngester {

    private static final Logger log = LoggerFactory.getLogger(EventIngester.class);

    /**
     * An event as it will be stored, and the project it goes to: its properties already
     * serialised ({@code null} for {@code $create_alias} and {@code $merge}, which only declare a link) and the
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
     * @param refusedLinks identity links the events claimed that the rules refused (the events are kept)
     */
    public record Outcome(int accepted, int stored, int duplicates, int dropped, int refusedLinks) {
    }

    private final Database db;
    private final EventStore events;
    private final EventSchemaStore schema;
    private final IdentityLinker linker;
    private final SuppressionFilter suppression;
    private final StoreActivity activity;
    private final Clock clock;
    private final LetheMetrics metrics;

    /** @param metrics counts each batch's events by outcome (accepted, duplicated, dropped) and refused links */
    public EventIngester(Database db, EventStore events, EventSchemaStore schema, IdentityLinker linker,
                         SuppressionFilter suppression, StoreActivity activity, Clock clock, LetheMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.schema = schema;
        this.activity = activity;
        this.events = events;
        this.linker = linker;
        this.suppression = suppression;
        this.clock = clock;
    }

    /** Counts events refused by validation before they got here (the caller tells the client which, or answers 400). */
    public void refused(String source, int events) {
        metrics.refused(source, events);
    }

    /**
     * @param source     the endpoint that received the batch: track, import or load
     * @param credential what the batch was sent with: it decides which identity links it may make
     */
    public Outcome ingest(List<Routed> batch, String source, Credential credential) {
        Map<Long, List<Routed>> byProject = new LinkedHashMap<>();
        for (Routed r : batch) {
            byProject.computeIfAbsent(r.projectId(), id -> new ArrayList<>()).add(r);
        }
        SuppressionFilter.Kept<Routed> kept = suppression.filter(byProject, Routed::mentionedIds);
        long now = clock.millis();
        int[] analyticsAndStored;
        Map<IdentityLinker.Refusal, Integer> refused = new EnumMap<>(IdentityLinker.Refusal.class);
        // why: the index keys are keyed hashes; computed here, on the request's thread, they do not
        // lengthen the write transaction (on SQLite, every writer of the process waits for it)
        Map<Long, EventStore.Keys> keys = new HashMap<>();
        kept.byProject().forEach((projectId, routed) -> {
            EventStore.Keys k = events.keys(projectId);
            for (Routed e : routed) {
                if (e.analytics()) {
                    k.add(e.distinctId(), e.event(), e.insertId());
                }
                // why: a link row is sealed with its ids' keys; made here, a new id's key is not made while
                // the write transaction (on SQLite, the store's one writer) waits for the keystore
                for (IdentityLink link : e.links()) {
                    k.addPerson(link.a());
                    k.addPerson(link.b());
                }
            }
            k.prepareDataKeys(db.keystore(), now);
            keys.put(projectId, k);
        });
        try (StoreActivity.Work ignored = activity.begin()) {
            analyticsAndStored = db.inTransaction(c -> {
                refused.clear();
                int analytics = 0;
                int stored = 0;
                // why: ascending project ids, so two batches take the projects' identity locks in one order.
                for (Map.Entry<Long, List<Routed>> project : new TreeMap<>(kept.byProject()).entrySet()) {
                    long projectId = project.getKey();
                    // why: before the identity lock that a link takes, so every ingesting transaction takes the
                    // project's two locks in one order; a deletion's final transaction waits for this one (PostgreSQL)
                    c.shareEventWrites(projectId);
                    keys.get(projectId).useDataKeys(c);
                    List<EventRecord> records = new ArrayList<>(project.getValue().size());
                    // why: the browser SDK claims the same device link on every event after login;
                    // one decision per batch is enough, and the first claim is the one that counts.
                    Set<IdentityLink> decided = new HashSet<>();
                    EventSchemaStore.Tally tally = new EventSchemaStore.Tally();
                    for (Routed e : project.getValue()) {
                        for (IdentityLink link : e.links()) {
                            if (!decided.add(link)) {
                                continue;
                            }
                            if (link.kind() == LinkKind.ALIAS && !records.isEmpty()) {
                                // why: an alias must have no events of its own, including ones earlier in this batch.
                                analytics += records.size();
                                stored += events.insert(c, records, keys.get(projectId));
                                records.clear();
                            }
                            IdentityLinker.Result result = linker.apply(c, projectId, link, credential, now);
                            if (result.refusal() != null) {
                                refused.merge(result.refusal(), 1, Integer::sum);
                            }
                        }
                        if (e.analytics()) {
                            records.add(new EventRecord(e.distinctId(), e.event(), e.timeMs(), e.insertId(), source,
                                    e.propertiesJson(), now));
                            tally.add(e.event(), e.shapes(), now);
                        }
                    }
                    analytics += records.size();
                    stored += events.insert(c, records, keys.get(projectId));
                    // why: in the same transaction, so the schema never names an event that was not stored
                    schema.record(c, projectId, tally);
                }
                return new int[] {analytics, stored};
            });
            // why: counted after the commit; on SQLite a second writer inside our transaction would wait on us.
            suppression.countDropped(kept);
        }
        int refusedLinks = refused.values().stream().mapToInt(Integer::intValue).sum();
        if (refusedLinks > 0) {
            // why: the reasons and counts only; the ids are personal data and stay out of logs.
            log.info("{} identity link(s) refused on {} ({}): {}", refusedLinks, source, credential, refused);
        }
        Outcome outcome = new Outcome(batch.size() - kept.dropped(), analyticsAndStored[1],
                analyticsAndStored[0] - analyticsAndStored[1], kept.dropped(), refusedLinks);
        metrics.ingested(source, outcome.accepted(), outcome.duplicates(), outcome.dropped(), outcome.refusedLinks());
        return outcome;
    }
}
