package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportPlanSqliteTest extends ExportPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    List<String> plan(Connection c, String sql, PersonLookupPlanContract.ParamBinder params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            params.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString("detail"));
                }
            }
        }
        return out;
    }

    @Override
    void assertReadsThroughTheTimeIndexInOrder(List<String> plan) {
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.matches("SEARCH events USING INDEX events_time \\(project_id=\\? AND time_ms>\\? AND time_ms<\\?\\).*"))
                .noneMatch(line -> line.startsWith("SCAN events"))
                .noneMatch(line -> line.contains("TEMP B-TREE"));
    }
}
