package dev.lethe.deletion;

import dev.lethe.event.EventStore;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One run of an anonymizing deletion: the person's events are rewritten in place under ONE random
 * pseudonym that exists only in this object (never in the task row, a log or any table but the rewritten
 * events), without the person's ids and personal properties. A run that dies leaves the events it
 * rewrote under its pseudonym; the resumed run draws a new one, since nothing links them
 * (docs/erasure.md says what that costs).
 */
final class Anonymization implements PersonEraser.EventStep {

    private final EventStore events;
    private final PropertyScrub scrub;

    Anonymization(EventStore events, Set<String> personalProperties) {
        this.events = events;
        this.scrub = new PropertyScrub("anon:" + UUID.randomUUID(), personalProperties);
    }

    @Override
    public int apply(Tx tx, long projectId, Collection<String> ids, int limit, DeletionCounts counts) throws SQLException {
        Set<String> matching = PropertyScrub.matching(ids);
        long[] dropped = {0};
        int n = events.rewriteBatch(tx, projectId, ids, limit, row -> {
            PropertyScrub.Rewritten r = scrub.rewrite(row.propertiesJson(), matching, PropertyScrub.freshInsertId());
            dropped[0] += r.dropped();
            return new EventStore.Row(row.id(), scrub.pseudonym(), row.event(), row.timeMs(), r.insertId(), r.propertiesJson(),
                    row.receivedAt());
        });
        counts.events(n);
        counts.propertiesDropped(dropped[0]);
        return n;
    }

    /**
     * In the final transaction, after the last batch: checks every event under the pseudonym against the
     * whole person as resolved now, rewrites the ones that hold an id linked to the person only after they
     * were rewritten, and throws unless each then passes {@link PropertyScrub#residue}.
     */
    void sweepAndVerify(Tx tx, long projectId, Collection<String> person, DeletionCounts counts) throws SQLException {
        Set<String> matching = PropertyScrub.matching(person);
        // why: collected, then written, so no row is updated under the open read; normally empty.
        List<EventStore.Row> stale = new ArrayList<>();
        events.forEachOf(tx, projectId, scrub.pseudonym(), row -> {
            if (scrub.residue(row.propertiesJson(), matching) != null) {
                stale.add(row);
            }
        });
        for (EventStore.Row row : stale) {
            PropertyScrub.Rewritten r = scrub.rewrite(row.propertiesJson(), matching, row.insertId());
            String left = scrub.residue(r.propertiesJson(), matching);
            if (left != null) {
                throw new IllegalStateException("anonymization verification failed: an event still holds " + left);
            }
            counts.propertiesDropped(r.dropped());
            events.rewrite(tx, projectId, row, new EventStore.Row(row.id(), row.distinctId(), row.event(), row.timeMs(),
                    row.insertId(), r.propertiesJson(), row.receivedAt()));
        }
    }
}
