package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PersonLookupPlanSqliteTest extends PersonLookupPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    List<String> plan(Connection c, String sql, ParamBinder params) throws SQLException {
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
    void assertReadsOnlyThroughTheIndex(List<String> plan) {
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.matches("SEARCH events USING (COVERING )?INDEX events_dedupe \\(project_id=\\? AND person_key=\\?.*"))
                .noneMatch(line -> line.startsWith("SCAN events"));
    }
}
