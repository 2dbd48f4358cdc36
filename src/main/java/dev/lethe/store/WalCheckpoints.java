package dev.lethe.store;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the WAL checkpoint that follows every deletion on SQLite. A deletion that
 * has committed takes a ticket and returns once a checkpoint that <em>started after its ticket
 * was taken</em> has finished: such a checkpoint copied its zeroed pages into the database file
 * and truncated the WAL with the old page images in it. Deletions that finish while a checkpoint
 * runs share the next one instead of running one each; none returns before its own is covered.
 */
final class WalCheckpoints {

    private final Database db;
    private final AtomicLong requested = new AtomicLong();
    private final ReentrantLock running = new ReentrantLock();
    /** The highest ticket a finished checkpoint covers; written only while {@link #running} is held. */
    private long covered;

    WalCheckpoints(Database db) {
        this.db = db;
    }

    /** Call after the deletion's last transaction has committed; throws if the checkpoint could not finish. */
    void checkpointAfterCommit(Set<String> eventPartitions) {
        long ticket = requested.incrementAndGet();
        running.lock();
        try {
            if (covered >= ticket) {
                // why: a checkpoint that started after our commit finished while we waited for the turn.
                return;
            }
            covered = db.asWriter(c -> {
                // why: read once this process's write turn is ours: every ticket up to here was
                // taken after its deletion committed, so the checkpoint that starts now covers them
                // all, including deletions that committed while we queued for the turn.
                long covers = requested.get();
                db.dialect().scrubAfterDeletion(c, eventPartitions);
                return covers;
            });
        } finally {
            running.unlock();
        }
    }
}
