package dev.lethe.webhook;

import dev.lethe.store.Tx;
import dev.lethe.testing.StoreFixture;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

class DeliveryPlanSqliteTest extends DeliveryPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    List<String> plan(Tx tx, String sql) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            return lines(ps);
        }
    }
}
