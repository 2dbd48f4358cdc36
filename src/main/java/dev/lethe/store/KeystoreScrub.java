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
 * Removes the old copies of wrapped keys (destroyed by a deletion, or overwritten by a rotation's rewrap) from the
 * keystore's files, so that only the keystore's live rows are left in them.
 */
final class KeystoreScrub {

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final StoreKind kind;
    private final String table;
    private final Duration snapshotWait;
    private final GroupCommit scrubs = new GroupCommit();
    /** PostgreSQL: the newest transaction that removed wrapped keys, for the scrub's wait on older snapshots and transactions. */
    private final AtomicLong destroyedBefore = new AtomicLong();

    KeystoreScrub(HikariDataSource dataSource, Dialect dialect, String table, Duration snapshotWait) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.kind = dialect.kind();
        this.table = table;
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
     * Removes every copy of destroyed keys from the keystore's files: on SQLite a rebuild of the small
     * keystore file and a truncating WAL checkpoint (secure_delete zeroes a deleted cell, but not the copies
     * of cells that page splits moved); on PostgreSQL a VACUUM FULL of the keystore table, which writes the live
     * keys to new files (a plain VACUUM frees a dead tuple's line pointer but may leave its bytes in the page's
     * free space). Both rebuild the keystore only, which is small; the main store is never touched.
     */
    void run() {
        try {
            // why: deletions finishing together share one rebuild that starts after all their destructions; run
            // side by side, a rebuild and a checkpoint of one file got in each other's way (SQLITE_BUSY)
            scrubs.flushAfter(start -> {
                long covers = start.now();
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    if (kind == StoreKind.SQLITE) {
                        // why: as the store's own rebuild does (Database.asWriter): this process's key writers wait
                        // their turn instead of meeting the rebuild in SQLite's busy handler
                        dialect.takeWriterTurn();
                        try {
                            s.execute("VACUUM");
                            checkpointSqlite(s);
                        } finally {
                            dialect.releaseWriterTurn();
                        }
                    } else {
                        waitForOlderSnapshots(c);
                        s.execute("VACUUM FULL " + table);
                    }
                }
                return covers;
            });
        } catch (SQLException e) {
            throw new StoreException(e);
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
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for older snapshots", e);
                }
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
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while checkpointing the keystore", e);
            }
        }
    }

    /** The names of what {@link #run} does, for the erasure certificate. */
    List<String> steps() {
        return kind == StoreKind.SQLITE ? List.of("keystore_destroy", "keystore_vacuum", "keystore_wal_checkpoint_truncate")
                : List.of("keystore_destroy", "keystore_vacuum_full");
    }
}
