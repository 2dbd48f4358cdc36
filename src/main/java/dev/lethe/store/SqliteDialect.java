package dev.lethe.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

final class SqliteDialect implements Dialect {

    @Override
    public StoreKind kind() {
        return StoreKind.SQLITE;
    }

    @Override
    public void scrubAfterDeletion(Connection c, Set<String> eventPartitions) throws SQLException {
        // why: secure_delete zeroes freed pages in the main file, but the old page images
        // still sit in the WAL until it is checkpointed and truncated.
        // why: outside auto-commit the driver keeps a transaction open even right after a
        // commit, and a checkpoint inside a transaction fails with SQLITE_LOCKED.
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            // why: after an ANALYZE, sqlite_stat4 holds sampled index keys (project, distinct_id,
            // time, event, insert_id) that a DELETE does not reach; sqlite_stat1 holds counts only.
            boolean stat4;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'")) {
                stat4 = rs.next() && rs.getLong(1) > 0;
            }
            if (stat4) {
                s.execute("DELETE FROM sqlite_stat4");
            }
            checkpoint(s);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Copies the WAL into the database file and truncates it; throws if a reader or writer kept
     * it from finishing within the busy timeout, since the old page images are then still in the WAL.
     */
    static void checkpoint(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            // why: the row is (busy, frames in the WAL, frames checkpointed); busy 1 means it gave up.
            if (rs.next() && rs.getInt(1) != 0) {
                throw new SQLException("[SQLITE_BUSY] the WAL checkpoint could not finish: " + rs.getInt(2)
                        + " frames in the WAL, " + rs.getInt(3) + " copied");
            }
        }
    }

    @Override
    public void compact(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    @Override
    public void blockEventWrites(Connection c) {
        // why: every write transaction is BEGIN IMMEDIATE, so the verifying transaction
        // already holds the single writer lock of the database.
    }

    @Override
    public void lockProjectErasure(Connection c, long projectId) {
        // why: both final transactions are BEGIN IMMEDIATE, so they already run one at a time.
    }

    @Override
    public void lockProjectIdentity(Connection c, long projectId) {
        // why: SQLite has one writer; ingestion transactions already run one at a time.
    }
}
