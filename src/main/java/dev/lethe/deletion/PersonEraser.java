package dev.lethe.deletion;

import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.profile.ProfileStore;
import dev.lethe.retrieval.ArchivePurger;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

    /**
     * What happens to one batch of the ids' events in the caller's transaction: deleted ({@link #deleting}),
     * or rewritten under a pseudonym ({@link Anonymization}). Returns how many events it took off these ids
     * and counts them.
     */
    interface EventStep {
        int apply(Tx tx, long projectId, Collection<String> ids, int limit, DeletionCounts counts) throws SQLException;

        /** Takes every event of these ids off them in the caller's transaction; by default {@code batchSize} at a time. */
        default void applyAll(Tx tx, long projectId, Collection<String> ids, int batchSize, DeletionCounts counts)
                throws SQLException {
            int n;
            do {
                n = apply(tx, projectId, ids, batchSize, counts);
            } while (n == batchSize);
        }
    }

    /** Statements a batch of {@link #eraseEventsInBatches} is cut into, so it can give way to a waiting request. */
    static final int SLICES = 5;

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

    /** The plain deletion's step: the events go. */
    EventStep deleting() {
        return new EventStep() {
            @Override
            public int apply(Tx tx, long projectId, Collection<String> ids, int limit, DeletionCounts counts) throws SQLException {
                int n = events.deleteBatch(tx, projectId, ids, limit);
                counts.events(n);
                return n;
            }

            /**
             * One statement without a limit, as the SQL baseline deletes: a batch's limit needs a subquery, a second
             * pass over the person's events that buys nothing when every one of them goes in this transaction anyway.
             */
            @Override
            public void applyAll(Tx tx, long projectId, Collection<String> ids, int batchSize, DeletionCounts counts)
                    throws SQLException {
                counts.events(events.deleteAll(tx, projectId, ids));
            }
        };
    }

    void eraseEventsInBatches(long projectId, Collection<String> ids, int batchSize, DeletionCounts counts, Progress progress) {
        eraseEventsInBatches(projectId, ids, batchSize, counts, progress, deleting());
    }

    /** Takes the ids' events off them in batches with {@code step}, each batch its own transaction. */
    void eraseEventsInBatches(long projectId, Collection<String> ids, int batchSize, DeletionCounts counts, Progress progress,
                              EventStep step) {
        // why: while the person's events keep arriving every batch can come back full, and the
        // deletion would never end; the batches stop after as many events as the person had at
        // the start, and the final step (which holds back event writes) erases the rest.
        long budget = db.withConnection(c -> events.count(c, projectId, ids));
        int slice = Math.max(1, batchSize / SLICES);
        long deleted = 0;
        while (deleted < budget) {
            Batch batch = db.inTransaction(c -> {
                // why: a batch of thousands of events holds SQLite's one writer for ~100 ms; in slices, it commits
                // early when a request's write waits, and the next batch goes on after it
                int done = 0;
                while (done < batchSize) {
                    int limit = Math.min(slice, batchSize - done);
                    int n = step.apply(c, projectId, ids, limit, counts);
                    done += n;
                    if (n < limit) {
                        return new Batch(done, true);
                    }
                    if (done < batchSize && c.requestsWaiting()) {
                        break;
                    }
                }
                return new Batch(done, false);
            });
            deleted += batch.events;
            progress.report();
            if (batch.lastOfPerson) {
                return;
            }
        }
    }

    /** One batch's events, and whether it found the person's last ones (a slice came back short). */
    private record Batch(int events, boolean lastOfPerson) {
    }

    /** How many events these ids have, counted up to {@code cap} (see {@link EventStore#countUpTo}). */
    long eventCountUpTo(Tx tx, long projectId, Collection<String> ids, long cap) throws SQLException {
        return events.countUpTo(tx, projectId, ids, cap);
    }

    /** Whether these ids have at most one batch of events; reads at most one batch and one more. */
    boolean fitsOneBatch(Tx tx, long projectId, Collection<String> ids, int batchSize) throws SQLException {
        return eventCountUpTo(tx, projectId, ids, batchSize + 1L) <= batchSize;
    }

    /** Deletes everything of these ids left in the caller's transaction, events unbatched. */
    void eraseAll(Tx tx, long projectId, Collection<String> ids, int batchSize, DeletionCounts counts) throws SQLException {
        eraseAll(tx, projectId, ids, batchSize, counts, deleting());
    }

    /** Like {@link #eraseAll(Tx, long, Collection, int, DeletionCounts)}, the events taken off with {@code step}. */
    void eraseAll(Tx tx, long projectId, Collection<String> ids, int batchSize, DeletionCounts counts, EventStep step)
            throws SQLException {
        step.applyAll(tx, projectId, ids, batchSize, counts);
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

    /**
     * Destroys the data keys of these ids in the keystore, and throws unless none is left: every copy of
     * their sealed content (in free pages, the WAL, a backup of the store) then no longer opens.
     * Returns how many keys went.
     */
    int destroyKeys(long projectId, Collection<String> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(db.keys().person(projectId, id));
        }
        int destroyed = db.keystore().destroy(projectId, keys);
        int left = db.keystore().count(projectId, keys);
        if (left > 0) {
            throw new IllegalStateException("deletion verification failed: " + left + " data keys remain");
        }
        return destroyed;
    }
}
