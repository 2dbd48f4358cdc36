package dev.lethe.deletion;

import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.profile.ProfileStore;
import dev.lethe.retrieval.ArchivePurger;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.Collection;

/**
 * Removes a set of ids' rows: events in bounded batches (each its own short transaction,
 * so ingestion waits at most one batch), then the profiles, links and archives. Every
 * statement goes through the person indexes; nothing else is read or touched.
 */
public final class PersonEraser {

    /** Reports progress between batches; may throw to stop the run (a lost lease). */
    interface Progress {
        void report();
    }

    private final Database db;
    private final EventStore events;
    private final ProfileStore profiles;
    private final IdentityStore links;
    private final ArchivePurger archives;

    public PersonEraser(Database db, EventStore events, ProfileStore profiles, IdentityStore links, ArchivePurger archives) {
        this.db = db;
        this.events = events;
        this.profiles = profiles;
        this.links = links;
        this.archives = archives;
    }

    void eraseEventsInBatches(long projectId, Collection<String> ids, int batchSize, DeletionCounts counts, Progress progress) {
        // why: while the person's events keep arriving every batch can come back full, and the
        // deletion would never end; the batches stop after as many events as the person had at
        // the start, and the final step (which holds back event writes) erases the rest.
        long budget = db.withConnection(c -> events.count(c, projectId, ids));
        long deleted = 0;
        while (deleted < budget) {
            int n = db.inTransaction(c -> events.deleteBatch(c, projectId, ids, batchSize, counts.eventPartitions()));
            deleted += n;
            counts.events(n);
            progress.report();
            if (n < batchSize) {
                return;
            }
        }
    }

    /** Whether these ids have at most one batch of events. */
    boolean fitsOneBatch(Tx tx, long projectId, Collection<String> ids, int batchSize) throws SQLException {
        return events.count(tx, projectId, ids) <= batchSize;
    }

    /** Deletes everything of these ids left in the caller's transaction, events unbatched. */
    void eraseAll(Tx tx, long projectId, Collection<String> ids, int batchSize, DeletionCounts counts) throws SQLException {
        int n;
        do {
            n = events.deleteBatch(tx, projectId, ids, batchSize, counts.eventPartitions());
            counts.events(n);
        } while (n == batchSize);
        eraseRest(tx, projectId, ids, counts);
    }

    /** Profiles, identity links and archives of these ids, in the caller's transaction. */
    void eraseRest(Tx tx, long projectId, Collection<String> ids, DeletionCounts counts) throws SQLException {
        counts.profiles(profiles.delete(tx, projectId, ids));
        counts.linkRows(links.deleteAll(tx, projectId, ids));
        counts.archives(archives.purgeHolding(tx, projectId, ids));
    }

    /** Throws unless no event, profile, link or archive of these ids remains. */
    void verifyGone(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        long e = events.count(tx, projectId, ids);
        long p = profiles.count(tx, projectId, ids);
        long l = links.countLinks(tx, projectId, ids);
        long a = archives.countHolding(tx, projectId, ids);
        if (e + p + l + a > 0) {
            throw new IllegalStateException("deletion verification failed: " + e + " events, " + p + " profiles, "
                    + l + " links, " + a + " archives remain");
        }
    }
}
