package dev.lethe.suppression;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.store.Database;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ids whose future events are dropped at ingestion (a deletion with {@code "suppress": true}).
 * Only a keyed hash of each id is stored, so the suppression list is no copy of the ids.
 */
public final class SuppressionStore {

    private final Database db;
    private final InstanceKey key;

    public SuppressionStore(Database db, InstanceKey key) {
        this.db = db;
        this.key = key;
    }

    private String hash(long projectId, String distinctId) {
        return key.sign("suppress:" + projectId + ":" + distinctId);
    }

    /** Suppresses the ids for good (a deletion with {@code "suppress": true}). */
    public void suppress(Tx tx, long projectId, Collection<String> distinctIds, long taskId, long now) throws SQLException {
        // why: the row passes to this task, so releasing an earlier task's hold cannot lift it.
        write(tx, "INSERT INTO suppressions (project_id, id_hash, task_id, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (project_id, id_hash) DO UPDATE SET task_id = excluded.task_id", projectId, distinctIds, taskId, now);
    }

    /**
     * Suppresses the ids while a deletion runs, so ingestion cannot outpace it: an event of the
     * person received before SUCCESS would be deleted anyway, so dropping it is the same
     * outcome. {@link #release} lifts the hold; an existing suppression is left as it is.
     */
    public void hold(Tx tx, long projectId, Collection<String> distinctIds, long taskId, long now) throws SQLException {
        write(tx, "INSERT INTO suppressions (project_id, id_hash, task_id, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (project_id, id_hash) DO NOTHING", projectId, distinctIds, taskId, now);
    }

    /**
     * Lifts what this task suppressed, for good (an owner's decision): the same rows as
     * {@link #release}, so ids a later deletion suppressed again stay suppressed under that one.
     * Returns how many ids it lifted.
     */
    public int lift(Tx tx, long projectId, long taskId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM suppressions WHERE project_id = ? AND task_id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, taskId);
            return ps.executeUpdate();
        }
    }

    /** Lifts every hold of this task. */
    public void release(Tx tx, long projectId, long taskId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM suppressions WHERE project_id = ? AND task_id = ?")) {
            ps.setLong(1, projectId);
            ps.setLong(2, taskId);
            ps.executeUpdate();
        }
    }

    private void write(Tx tx, String sql, long projectId, Collection<String> distinctIds, long taskId, long now)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            for (String id : distinctIds) {
                ps.setLong(1, projectId);
                ps.setString(2, hash(projectId, id));
                ps.setLong(3, taskId);
                ps.setLong(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Whether the project has any suppression; lets ingestion skip hashing ids when it has none. */
    public boolean hasAny(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM suppressions WHERE project_id = ? LIMIT 1")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Which of these ids are suppressed. One indexed query per {@link Sql#MAX_IN} ids. */
    public Set<String> suppressedAmong(long projectId, Collection<String> distinctIds) {
        if (distinctIds.isEmpty()) {
            return Set.of();
        }
        Map<String, String> byHash = new HashMap<>();
        for (String id : distinctIds) {
            byHash.put(hash(projectId, id), id);
        }
        return db.withConnection(c -> {
            Set<String> out = new HashSet<>();
            for (List<String> chunk : Sql.chunks(byHash.keySet())) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id_hash FROM suppressions WHERE project_id = ? AND id_hash IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    ps.setLong(1, projectId);
                    Sql.bindAll(ps, 2, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(byHash.get(rs.getString(1)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Counts events dropped for a suppressed id. */
    public void countDropped(long projectId, String distinctId, int n) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE suppressions SET dropped = dropped + ? WHERE project_id = ? AND id_hash = ?")) {
                ps.setInt(1, n);
                ps.setLong(2, projectId);
                ps.setString(3, hash(projectId, distinctId));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Events of these ids dropped under this task's holds or suppressions so far; found through
     * the ids' hashes, so the cost follows the person, not the suppression list.
     */
    public long droppedUnder(Tx tx, long projectId, Collection<String> distinctIds, long taskId) throws SQLException {
        long total = 0;
        List<String> hashes = distinctIds.stream().map(id -> hash(projectId, id)).toList();
        for (List<String> chunk : Sql.chunks(hashes)) {
            try (PreparedStatement ps = tx.prepareStatement("SELECT COALESCE(SUM(dropped), 0) FROM suppressions "
                    + "WHERE project_id = ? AND id_hash IN (" + Sql.placeholders(chunk.size()) + ") AND task_id = ?")) {
                ps.setLong(1, projectId);
                int next = Sql.bindAll(ps, 2, chunk);
                ps.setLong(next, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
        }
        return total;
    }

    /** Total events dropped under suppressions of this project. */
    public long droppedTotal(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(dropped), 0) FROM suppressions WHERE project_id = ?")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
