package dev.lethe.deletion;

import dev.lethe.store.Database;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a deletion did once its rows were gone: the destruction of the person's keys, then the keystore's scrub
 * ({@link dev.lethe.store.Keystore#scrubSteps()}), recorded in the transaction that records its SUCCESS (before session
 * 10 the scrub ran, and was recorded, after SUCCESS). The rows, read back for the erasure certificate, name mechanisms and
 * outcomes, never an id. The table {@code erasure_steps}
 * is written here only.
 */
public final class ErasureSteps {

    /** One step: its name, how it ended ({@link #DONE}, {@link #FAILED}, {@link #REQUESTED}) and when (epoch ms). */
    public record Step(String step, String outcome, long at) {
    }

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** Asked of a background worker that ran it later: the embedded store's rebuild, in steps recorded before V018. */
    public static final String REQUESTED = "requested";

    private final Database db;

    public ErasureSteps(Database db) {
        this.db = db;
    }

    /**
     * Records the same steps (each named once) for each of these tasks in the caller's transaction (the one that records
     * their SUCCESS); a step recorded again for a task keeps its latest outcome.
     */
    void record(Tx tx, List<Long> taskIds, List<Step> steps) throws SQLException {
        if (taskIds.isEmpty() || steps.isEmpty()) {
            return;
        }
        // why: one statement for a group's tasks (up to 32 of them, a few steps each); chunked by task so a statement
        // keeps within every store's limit of parameters
        for (List<Long> chunk : Sql.chunks(new LinkedHashSet<>(taskIds))) {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO erasure_steps (task_id, seq, step, outcome, at) "
                    + "VALUES " + Sql.rows(chunk.size() * steps.size(), 5) + " ON CONFLICT (task_id, step) DO UPDATE SET "
                    + "seq = excluded.seq, outcome = excluded.outcome, at = excluded.at")) {
                int i = 1;
                for (long taskId : chunk) {
                    for (int seq = 0; seq < steps.size(); seq++) {
                        Step s = steps.get(seq);
                        ps.setLong(i++, taskId);
                        ps.setInt(i++, seq);
                        ps.setString(i++, s.step());
                        ps.setString(i++, s.outcome());
                        ps.setLong(i++, s.at());
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    /** The steps recorded for a task, in the order they ran; empty while its worker has not got to them. */
    public List<Step> of(long taskId) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement(
                    "SELECT step, outcome, at FROM erasure_steps WHERE task_id = ? ORDER BY seq")) {
                ps.setLong(1, taskId);
                List<Step> steps = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new Step(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
                return steps;
            }
        });
    }
}
