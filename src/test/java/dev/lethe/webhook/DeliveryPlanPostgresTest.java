package dev.lethe.webhook;

import dev.lethe.store.Tx;
import dev.lethe.testing.StoreFixture;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

class DeliveryPlanPostgresTest extends DeliveryPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    List<String> plan(Tx tx, String sql) throws SQLException {
        try (Statement s = tx.createStatement()) {
            // why: on an empty table a sequential scan is cheapest; the test asks whether an index
            // exists that the statement can use, as it will once the table is long.
            s.execute("SET enable_seqscan = off");
            try (PreparedStatement ps = tx.prepareStatement("EXPLAIN " + sql)) {
                return lines(ps);
            } finally {
                s.execute("RESET enable_seqscan");
            }
        }
    }
}
