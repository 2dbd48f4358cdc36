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
        // why: secure_delete zeroes a row's cell when it is deleted, but earlier B-tree
        // rebalancing left stale copies of cells in the unused space of live pages, which it
        // never clears (the deletion tests found them); only rebuilding the file removes them.
        // The rebuild costs time in proportion to the store, so it runs once per deletion,
        // after SUCCESS. The old page images then still sit in the WAL until it is
        // checkpointed and truncated.
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Override
    public void blockEventWrites(Connection c) {
        // why: every write transaction is BEGIN IMMEDIATE, so the verifying transaction
        // already holds the single writer lock of the database.
    }
}
