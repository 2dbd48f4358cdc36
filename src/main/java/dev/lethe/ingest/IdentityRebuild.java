package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.json.Json;
import dev.lethe.store.Database;

import java.time.Clock;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one-off repair of a project's links ({@code lethe admin identity rebuild}): the device and
 * identify links written by earlier versions (undirected, and missing the {@code $device:} ids the
 * browser SDK sends) are derived again from the stored events, in the order they were received, under today's rules
 * ({@link IdentityLinker}, as claims made with the project token). Aliases are kept as they are.
 * One transaction: the project's links are either all rebuilt or untouched.
 */
public final class IdentityRebuild {

    /** Arrival order: when received, then the order the events were read (their own time). */
    private static final Comparator<Received> ORDER = Comparator.comparingLong(Received::at).thenComparingLong(Received::seq);

    /**
     * @param eventsRead    events of the project read
     * @param claims        distinct links those events claim
     * @param linksAdded    links made that the project did not have before the rebuild (e.g. the {@code $device:} ids)
     * @param linksRederived links of earlier versions made again, now with a direction
     * @param linksKept     claimed links that were there already (made since roles existed)
     * @param legacyDropped links of earlier versions that today's rules do not make again
     * @param refused       claims the rules refused, by reason
     */
    public record Report(long eventsRead, int claims, int linksAdded, int linksRederived, int linksKept, int legacyDropped,
                         Map<IdentityLinker.Refusal, Integer> refused) {
    }

    private final Database db;
    private final EventStore events;
    private final IdentityStore links;
    private final IdentityLinker linker;
    private final Clock clock;

    public IdentityRebuild(Database db, EventStore events, IdentityStore links, IdentityLinker linker, Clock clock) {
        this.db = db;
        this.events = events;
        this.links = links;
        this.linker = linker;
        this.clock = clock;
    }

    public Report rebuild(long projectId) {
        return db.inTransaction(c -> {
            // why: each distinct claim once, at its first arrival (the browser SDK repeats its device link on every event)
            Map<IdentityLink, Received> first = new HashMap<>();
            long[] read = {0};
            // why: each claim's place in reading order, one event's several claims included (the order they are made)
            long[] seen = {0};
            events.forEachInProject(c, projectId, e -> {
                read[0]++;
                // why: most events claim nothing; only parse the ones that can.
                if (!e.event().equals("$identify") && !e.propertiesJson().contains("$device_id")) {
                    return;
                }
                JsonNode properties = Json.readTrusted(e.propertiesJson());
                if (properties instanceof ObjectNode p) {
                    try {
                        for (IdentityLink claim : EventNormalizer.links(e.event(), e.distinctId(), p)) {
                            Received r = new Received(e.receivedAt(), seen[0]++, claim);
                            first.merge(claim, r, (a, b) -> ORDER.compare(a, b) <= 0 ? a : b);
                        }
                    } catch (InvalidRecord ignored) {
                        // why: stored by an older version that accepted it; it simply claims nothing.
                    }
                }
            });
            // why: in the order Lethe received them, as ingestion decided them (the first claim on a device wins); an
            // event's own time is the sender's to set, so a claim refused then, backdated, would win a rebuild
            List<IdentityLink> ordered = first.values().stream().sorted(ORDER).map(Received::claim).toList();
            Set<List<String>> legacy = links.deleteUnrolledEventLinks(c, projectId);
            int rederived = 0;
            int added = 0;
            int kept = 0;
            Map<IdentityLinker.Refusal, Integer> refused = new EnumMap<>(IdentityLinker.Refusal.class);
            long now = clock.millis();
            for (IdentityLink claim : ordered) {
                IdentityLinker.Result result = linker.apply(c, projectId, claim, Credential.PROJECT_TOKEN, now);
                if (result.added() && legacy.contains(IdentityStore.pair(claim.a(), claim.b()))) {
                    rederived++;
                } else if (result.added()) {
                    added++;
                } else if (result.refusal() == null) {
                    kept++;
                } else {
                    refused.merge(result.refusal(), 1, Integer::sum);
                }
            }
            return new Report(read[0], ordered.size(), added, rederived, kept, legacy.size() - rederived, refused);
        });
    }

    /** A claim, when the event that made it was received, and its place among the claims read. */
    private record Received(long at, long seq, IdentityLink claim) {
    }
}
