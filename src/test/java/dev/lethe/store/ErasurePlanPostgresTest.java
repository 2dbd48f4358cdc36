package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

class ErasurePlanPostgresTest extends ErasurePlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    List<String> plan(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            // why: on an empty table a sequential scan is cheapest; the test asks whether an index
            // exists that the statement can use, as it will once the list is long.
            s.execute("SET enable_seqscan = off");
            try {
                return lines(s, "EXPLAIN " + sql);
            } finally {
                s.execute("RESET enable_seqscan");
            }
        }
    }
}
