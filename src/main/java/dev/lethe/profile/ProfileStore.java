package dev.lethe.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** User profiles: one JSON property map per (project, distinct_id). */
public final class ProfileStore {

    private final Database db;

    public ProfileStore(Database db) {
        this.db = db;
    }

    public Optional<ObjectNode> get(long projectId, String distinctId) {
        return db.withConnection(c -> get(c, projectId, distinctId));
    }

    private static Optional<ObjectNode> get(Tx tx, long projectId, String distinctId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "SELECT properties FROM profiles WHERE project_id = ? AND distinct_id = ?")) {
            ps.setLong(1, projectId);
            ps.setString(2, distinctId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of((ObjectNode) Json.readTrusted(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Applies a change to a profile atomically (read, change, write in one transaction, the row
     * locked against concurrent writers where the store has them). The
     * change receives a copy of the current properties (empty when there is no profile) and
     * returns the new ones, or null to delete the profile.
     */
    public void update(long projectId, String distinctId, long now, UnaryOperator<ObjectNode> change) {
        db.inTransaction(c -> {
            update(c, projectId, distinctId, now, change);
            return null;
        });
    }

    /** {@link #update(long, String, long, UnaryOperator)} within the caller's transaction. */
    public void update(Tx tx, long projectId, String distinctId, long now, UnaryOperator<ObjectNode> change)
            throws SQLException {
        tx.lockRowForUpdate(lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "INSERT INTO profiles (project_id, distinct_id, properties, updated_at) VALUES (?, ?, "
                            + tx.jsonParam() + ", ?) ON CONFLICT (project_id, distinct_id) DO NOTHING")) {
                ps.setLong(1, projectId);
                ps.setString(2, distinctId);
                ps.setString(3, "{}");
                ps.setLong(4, now);
                ps.executeUpdate();
            }
        }, lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "SELECT 1 FROM profiles WHERE project_id = ? AND distinct_id = ? FOR UPDATE")) {
                ps.setLong(1, projectId);
                ps.setString(2, distinctId);
                ps.executeQuery().close();
            }
        });
        ObjectNode current = get(tx, projectId, distinctId).orElseGet(Json::object);
        ObjectNode next = change.apply(current);
        if (next == null) {
            delete(tx, projectId, List.of(distinctId));
        } else {
            put(tx, projectId, distinctId, next, now);
        }
    }

    private void put(Tx tx, long projectId, String distinctId, ObjectNode properties, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO profiles (project_id, distinct_id, properties, updated_at) VALUES (?, ?, " + tx.jsonParam() + ", ?) "
                        + "ON CONFLICT (project_id, distinct_id) DO UPDATE SET properties = excluded.properties, updated_at = excluded.updated_at")) {
            ps.setLong(1, projectId);
            ps.setString(2, distinctId);
            ps.setString(3, Json.write(properties));
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    /** Deletes the profiles of these ids in the caller's transaction; returns how many. */
    public int delete(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            try (PreparedStatement ps = tx.prepareStatement(
                    "DELETE FROM profiles WHERE project_id = ? AND distinct_id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                Sql.bindAll(ps, 2, chunk);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /** Calls the sink with (distinct_id, properties) for each of these ids that has a profile. */
    public void forEach(long projectId, Collection<String> distinctIds, BiConsumer<String, JsonNode> sink) {
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT distinct_id, properties FROM profiles WHERE project_id = ? AND distinct_id IN ("
                                + Sql.placeholders(chunk.size()) + ") ORDER BY distinct_id")) {
                    ps.setLong(1, projectId);
                    Sql.bindAll(ps, 2, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(rs.getString(1), Json.readTrusted(rs.getString(2)));
                        }
                    }
                }
                return null;
            });
        }
    }

    public long count(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        return Sql.countInChunks(tx, "SELECT COUNT(*) FROM profiles WHERE project_id = ? AND distinct_id IN (", projectId, distinctIds);
    }
}
