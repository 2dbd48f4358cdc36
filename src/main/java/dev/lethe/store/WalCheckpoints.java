package dev.lethe.store;

import java.util.Set;

/**
 * Group commit for the WAL checkpoint that follows every deletion on SQLite: deletions that
 * finish while a checkpoint runs share the next one, and none returns before a checkpoint that
 * started after its commit has copied its zeroed pages into the database file and truncated the
 * WAL with the old page images in it.
 */
final class WalCheckpoints {

    private final GroupCommit group = new GroupCommit();

    /** Call after the deletion's last transaction has committed; throws if the checkpoint could not finish. */
    void checkpointAfterCommit(Database db, Set<String> eventPartitions) {
        group.flushAfter(start -> db.asWriter(tx -> {
            // why: taken once this process's write turn is ours: every ticket up to here was taken
            // after its deletion committed, so the checkpoint that starts now covers them all,
            // including deletions that committed while we queued for the turn.
            long covers = start.now();
            db.dialect().scrubAfterDeletion(tx.connection(), eventPartitions);
            return covers;
        }));
    }
}
