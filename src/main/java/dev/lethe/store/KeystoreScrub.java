package dev.lethe.store;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Removes the old copies of bucket keys (replaced by a deletion's re-key, or rewrapped by a rotation) from the
 * keystore's files. Copies of destroyed data keys may stay: what wrapped them is among those old bucket keys.
 */
final class KeystoreScrub {

    /** Longest pause between two looks for older snapshots: the first pauses are shorter (1, 2, 4 ... ms). */
    private static final long MAX_SNAPSHOT_POLL_MS = 20;
    /** How long a VACUUM FULL queues for its lock before it steps aside and tries again. */
    static final long LOCK_WAIT_MS = 50;
    /** PostgreSQL's SQLSTATE when a lock was not granted within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final StoreKind kind;
    private final KeystoreSchema schema;
    private final Duration snapshotWait;
    private final GroupCommit scrubs = new GroupCommit();
    /** PostgreSQL: the newest transaction that removed wrapped keys, for the scrub's wait on older snapshots and transactions. */
    private final AtomicLong destroyedBefore = new AtomicLong();

    KeystoreScrub(HikariDataSource dataSource, Dialect dialect, KeystoreSchema schema, Duration snapshotWait) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.kind = dialect.kind();
        this.schema = schema;
        this.snapshotWait = snapshotWait;
    }

    /**
     * Called in a transaction that deleted or overwrote wrapped keys: on PostgreSQL the scrub then waits until no
     * snapshot or transaction older than this one is left, since VACUUM FULL keeps the row versions they can see.
     */
    void leftOldCopies(Connection c) throws SQLException {
        if (kind != StoreKind.POSTGRES) {
            return;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            long xid = rs.getLong(1);
            destroyedBefore.accumulateAndGet(xid, Math::max);
        }
    }

    /**
     * Removes every copy of the bucket keys that destructions replaced from the keystore's files. On SQLite a
     * truncating WAL checkpoint: a re-key overwrote the bucket row in place in its page, and the checkpoint writes
     * that page over the old one in {@code keys.db} and empties the WAL that held the old page. On PostgreSQL a
     * VACUUM FULL of the bucket table ({@value KeyBuckets#COUNT} rows), which writes the live rows to new files (a
     * plain VACUUM frees a dead tuple's line pointer but may leave its bytes in the page's free space). Either costs
     * the same whatever the number of people; the main store is never touched.
     */
    void run() {
        try {
            // why: deletions finishing together share one scrub that starts after all their destructions; run side
            // by side, two checkpoints of one file got in each other's way (SQLITE_BUSY)
            scrubs.flushAfter(start -> {
                long covers = start.now();
                clean(false);
                return covers;
            });
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Rebuilds the whole keystore: after a rotation changed the KEK of the bucket rows (a row whose value changed size
     * may have moved in its page) or keys from before buckets were moved into them. Rare, and in proportion to the
     * number of people, so never on a deletion's path.
     */
    void rebuild() {
        try {
            clean(true);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The bucket table's files ({@code whole}: the whole keystore's) made to hold only live rows. */
    private void clean(boolean whole) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (kind == StoreKind.SQLITE) {
                checkpointAsWriter(s, whole);
            } else {
                waitForOlderSnapshots(c);
                long deadline = System.nanoTime() + snapshotWait.toNanos();
                vacuumFullPolitely(s, schema.buckets, deadline);
                if (whole) {
                    vacuumFullPolitely(s, schema.keys, deadline);
                }
            }
        }
    }

    /**
     * SQLite: checkpoints keys.db (after rebuilding it with {@code vacuumFirst}) under this process's writer turn, so
     * its key writers wait their turn instead of keeping the checkpoint from reaching the end of the WAL.
     */
    private void checkpointAsWriter(Statement s, boolean vacuumFirst) throws SQLException {
        dialect.asWriter(() -> {
            if (vacuumFirst) {
                s.execute("VACUUM");
            }
            checkpointSqlite(s);
            return null;
        });
    }

    /**
     * VACUUM FULL of one table that gives way to the keystore's readers: it asks for its exclusive lock for at most
     * {@value #LOCK_WAIT_MS} ms at a time and tries again after a pause, until the deadline (the busy timeout). Queued, a lock request
     * makes every later request on the table wait behind it, so a VACUUM FULL waiting behind one long transaction held
     * back every ingestion that needed a person's key ({@code /track} answers of over a second in the bench).
     */
    static void vacuumFullPolitely(Statement s, String table, long deadlineNanos) throws SQLException {
        long pauseMs = 1;
        s.execute("SET lock_timeout = '" + LOCK_WAIT_MS + "ms'");
        try {
            while (true) {
                try {
                    s.execute("VACUUM FULL " + table);
                    return;
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || System.nanoTime() > deadlineNanos) {
                        throw e;
                    }
                }
                pause(pauseMs);
                pauseMs = Math.min(MAX_SNAPSHOT_POLL_MS, pauseMs * 2);
            }
        } finally {
            s.execute("RESET lock_timeout");
        }
    }

    private static void pause(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while scrubbing the keystore", e);
        }
    }

    /**
     * Waits until no snapshot of the keystore's database is older than the last destruction and no transaction
     * of the cluster that started before it is still running: VACUUM FULL copies the rows such a snapshot could
     * still see, destroyed keys included (seen in tests: one idle-in-transaction session of another database
     * kept them). Throws if one outlasts the busy timeout.
     */
    private void waitForOlderSnapshots(Connection c) throws SQLException {
        long xid = destroyedBefore.get();
        if (xid == 0) {
            return;
        }
        long deadline = System.nanoTime() + snapshotWait.toNanos();
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                + "AND ((datname = current_database() AND age(backend_xmin) >= age(?::text::xid)) OR age(backend_xid) >= age(?::text::xid))")) {
            // why: a snapshot of this database holds the horizon back by its xmin; a transaction of ANY database that
            // is still running (it has an xid) does too, since VACUUM FULL's own snapshot counts it as running.
            ps.setString(1, Long.toString(xid & 0xFFFF_FFFFL));
            ps.setString(2, Long.toString(xid & 0xFFFF_FFFFL));
            long pauseMs = 1;
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("a snapshot older than the keys' destruction is still open; the keystore's "
                            + "VACUUM FULL would keep them");
                }
                // why: the transactions waited for are mostly other deletions' and ingestion's, a few ms long; a
                // fixed 20 ms pause kept each worker scrubbing for longer than its deletion took
                pause(pauseMs);
                pauseMs = Math.min(MAX_SNAPSHOT_POLL_MS, pauseMs * 2);
            }
        }
    }

    /**
     * Copies the keystore's WAL into keys.db and truncates it. A writer making a key runs SQLite's automatic
     * checkpoint after its commit, and a checkpoint meeting another one gives up at once (busy, no frames) instead of
     * waiting in the busy handler, so this tries again until the busy timeout.
     */
    private void checkpointSqlite(Statement s) throws SQLException {
        long deadline = System.nanoTime() + snapshotWait.toNanos();
        while (true) {
            try {
                SqliteDialect.checkpoint(s);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || e.getMessage() == null || !e.getMessage().contains("SQLITE_BUSY")) {
                    throw e;
                }
            }
            pause(5);
        }
    }

    /** The names of what {@link #run} does, for the erasure certificate. */
    List<String> steps() {
        return List.of(kind == StoreKind.SQLITE ? "keystore_wal_checkpoint_truncate" : "key_bucket_vacuum_full");
    }
}
