package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

class ErasurePlanSqliteTest extends ErasurePlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    List<String> plan(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return lines(s, "EXPLAIN QUERY PLAN " + sql);
        }
    }
}
