package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.json.Json;
import dev.lethe.store.Database;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one-off repair of a project's links ({@code lethe admin identity rebuild}): the device and
 * identify links written by earlier versions (undirected, and missing the {@code $device:} ids the
 * browser SDK sends) are derived again from the stored events, oldest first, under today's rules
 * ({@link IdentityLinker}, as claims made with the project token). Aliases are kept as they are.
 * One transaction: the project's links are either all rebuilt or untouched.
 */
public final class IdentityRebuild {

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
            Set<IdentityLink> claims = new LinkedHashSet<>();
            long[] read = {0};
            events.forEachInProject(c, projectId, e -> {
                read[0]++;
                // why: most events claim nothing; only parse the ones that can.
                if (!e.event().equals("$identify") && !e.propertiesJson().contains("$device_id")) {
                    return;
                }
                JsonNode properties = Json.readTrusted(e.propertiesJson());
                if (properties instanceof ObjectNode p) {
                    try {
                        claims.addAll(EventNormalizer.links(e.event(), e.distinctId(), p));
                    } catch (InvalidRecord ignored) {
                        // why: stored by an older version that accepted it; it simply claims nothing.
                    }
                }
            });
            List<IdentityLink> ordered = new ArrayList<>(claims);
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
}
