package dev.lethe.ingest;

import dev.lethe.identity.AnonymousIds;
import dev.lethe.identity.IdentityStore;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.profile.ProfileProperties;
import dev.lethe.profile.ProfileStore;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@code /engage} updates: the valid updates of a request in one transaction, in order, so
 * they are applied together or not at all. Updates of suppressed ids are dropped and counted.
 */
public final class ProfileIngester {

    /** An update and the project it goes to. */
    public record Routed(long projectId, ProfileUpdate update) {
    }

    private final Database db;
    private final ProfileStore profiles;
    private final IdentityStore links;
    private final SuppressionFilter suppression;
    private final StoreActivity activity;
    private final Clock clock;
    private final LetheMetrics metrics;

    /**
     * @param links   where a bare generated id whose profile is deleted stays marked a user id ({@link IdentityStore#markIdentified})
     * @param metrics counts profile updates as {@code source="engage"}: accepted or dropped
     */
    public ProfileIngester(Database db, ProfileStore profiles, IdentityStore links, SuppressionFilter suppression,
                           StoreActivity activity, Clock clock, LetheMetrics metrics) {
        this.db = db;
        this.links = links;
        this.metrics = metrics;
        this.activity = activity;
        this.profiles = profiles;
        this.suppression = suppression;
        this.clock = clock;
    }

    /** @return how many updates were applied (the rest were dropped under a suppression) */
    public int apply(List<Routed> updates) {
        Map<Long, List<ProfileUpdate>> byProject = new LinkedHashMap<>();
        for (Routed r : updates) {
            byProject.computeIfAbsent(r.projectId(), id -> new ArrayList<>()).add(r.update());
        }
        SuppressionFilter.Kept<ProfileUpdate> kept = suppression.filter(byProject, u -> Set.of(u.distinctId()));
        long now = clock.millis();
        // why: a new person's data key is made here, before the write transaction, so that transaction (on SQLite,
        // the store's one writer) never waits for the keystore; the ingestion of events does the same
        Map<Long, Map<java.nio.ByteBuffer, dev.lethe.crypto.DataKey>> keys = new LinkedHashMap<>();
        kept.byProject().forEach((projectId, list) -> {
            List<byte[]> persons = new ArrayList<>(list.size());
            for (ProfileUpdate u : list) {
                persons.add(db.keys().person(projectId, u.distinctId()));
            }
            keys.put(projectId, db.keystore().findOrCreate(projectId, persons, now));
        });
        try (StoreActivity.Work ignored = activity.begin()) {
            db.inTransaction(c -> {
                for (Map.Entry<Long, List<ProfileUpdate>> project : kept.byProject().entrySet()) {
                    c.sealer().use(keys.get(project.getKey()));
                    ProfileProperties.Changes names = new ProfileProperties.Changes();
                    for (ProfileUpdate u : project.getValue()) {
                        profiles.update(c, project.getKey(), u.distinctId(), now, u::apply, names);
                        if (u.operation().equals("$delete") && AnonymousIds.bareGenerated(u.distinctId())) {
                            // why: a profile makes such an id a user id for the identity rules (IdentityLinker), and the
                            // public token can delete it; the mark stays, or a caller could delete it and then claim the id
                            links.markIdentified(c, project.getKey(), u.distinctId(), now);
                        }
                    }
                    ProfileProperties.record(c, project.getKey(), names);
                }
                return null;
            });
            suppression.countDropped(kept);
        }
        metrics.ingested("engage", updates.size() - kept.dropped(), 0, kept.dropped(), 0);
        return updates.size() - kept.dropped();
    }
}
