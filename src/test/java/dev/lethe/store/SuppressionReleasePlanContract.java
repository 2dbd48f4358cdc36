package dev.lethe.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifting a deletion's holds ({@code SuppressionStore.release}) finds them by task through an
 * index, so it costs what the task held, not what the project's suppression list holds.
 */
abstract class SuppressionReleasePlanContract extends StoreContract {

    static final String RELEASE = "DELETE FROM suppressions WHERE project_id = 1 AND task_id = 42";

    /** The plan lines of {@code sql}, with the backend told to prefer any usable index. */
    abstract List<String> plan(Connection c, String sql) throws SQLException;

    @Test
    void releasing_a_tasks_holds_searches_the_task_index() {
        List<String> plan = db.withConnection(c -> plan(c.connection(), RELEASE));
        assertThat(plan).as("plan %s", plan).anyMatch(line -> line.contains("suppressions_task"));
    }

    static List<String> lines(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(rs.getMetaData().getColumnCount()));
            }
        }
        return out;
    }
}
