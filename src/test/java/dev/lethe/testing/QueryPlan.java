package dev.lethe.testing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan a store makes for a statement, as text lines: PostgreSQL's {@code EXPLAIN} or SQLite's
 * {@code EXPLAIN QUERY PLAN} (its {@code detail} column). The one place the plan tests of every
 * contract ask for it, whichever store they run on.
 */
public final class QueryPlan {

    /** Prepares a statement on the connection or transaction the plan is asked on. */
    public interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /** Binds the statement's parameters. */
    public interface Params {
        Params NONE = ps -> { };

        void bind(PreparedStatement ps) throws SQLException;
    }

    private QueryPlan() {
    }

    /**
     * @param preferIndexes on PostgreSQL, turn sequential scans off for this one plan: on a nearly
     *                      empty table they are cheapest, and the test asks whether an index exists
     *                      that the statement can use, as it will once the table is long
     */
    public static List<String> of(Statements db, String sql, Params params, boolean preferIndexes) throws SQLException {
        boolean postgres;
        try (PreparedStatement probe = db.prepare("SELECT 1")) {
            postgres = probe.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL");
        }
        boolean steer = postgres && preferIndexes;
        if (steer) {
            execute(db, "SET enable_seqscan = off");
        }
        try (PreparedStatement ps = db.prepare((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql)) {
            params.bind(ps);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(rs.getMetaData().getColumnCount()));
                }
            }
            return out;
        } finally {
            if (steer) {
                execute(db, "RESET enable_seqscan");
            }
        }
    }

    private static void execute(Statements db, String sql) throws SQLException {
        try (PreparedStatement ps = db.prepare(sql)) {
            ps.execute();
        }
    }
}
