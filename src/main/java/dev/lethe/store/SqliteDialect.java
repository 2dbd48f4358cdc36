package dev.lethe.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

final class SqliteDialect implements Dialect {

    @Override
    public StoreKind kind() {
        return StoreKind.SQLITE;
    }

    @Override
    public void scrubAfterDeletion(Connection c) throws SQLException {
        // why: secure_delete zeroes freed pages in the main file, but the old page images
        // still sit in the WAL until it is checkpointed and truncated.
        // why: outside auto-commit the driver keeps a transaction open even right after a
        // commit, and a checkpoint inside a transaction fails with SQLITE_LOCKED.
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
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
}
