package dev.lethe.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

final class PostgresDialect implements Dialect {

    @Override
    public StoreKind kind() {
        return StoreKind.POSTGRES;
    }

    @Override
    public String jsonParam() {
        return "CAST(? AS jsonb)";
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public void scrubAfterDeletion(Connection c) throws SQLException {
        // why: VACUUM makes the dead tuples' space reusable; see docs/erasure.md for what it does not erase.
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM events");
            s.execute("VACUUM profiles");
            s.execute("VACUUM identity_links");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    @Override
    public void blockEventWrites(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE events IN SHARE MODE");
        }
    }
}
