package dev.lethe.ingest;

import dev.lethe.group.GroupProfileStore;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;

import java.time.Clock;
import java.util.List;

/**
 * Applies {@code /groups} updates: the valid updates of a request in one transaction, in order.
 * Suppressions do not apply: they hold person ids, and a group id that equals one is a coincidence,
 * not a link to that person (docs/ingestion.md).
 */
public final class GroupIngester {

    /** An update and the project it goes to. */
    public record Routed(long projectId, GroupUpdate update) {
    }

    private final Database db;
    private final GroupProfileStore groups;
    private final StoreActivity activity;
    private final Clock clock;

    public GroupIngester(Database db, GroupProfileStore groups, StoreActivity activity, Clock clock) {
        this.db = db;
        this.groups = groups;
        this.activity = activity;
        this.clock = clock;
    }

    /** @return how many updates were applied */
    public int apply(List<Routed> updates) {
        if (updates.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        try (StoreActivity.Work ignored = activity.begin()) {
            db.inTransaction(c -> {
                for (Routed r : updates) {
                    GroupUpdate u = r.update();
                    groups.update(c, r.projectId(), u.groupKey(), u.groupId(), now, u::apply);
                }
                return null;
            });
        }
        return updates.size();
    }
}
