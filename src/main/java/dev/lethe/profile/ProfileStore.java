package dev.lethe.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.IndexKeys;
import dev.lethe.store.Sealer;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * User profiles: one JSON property map per (project, distinct_id). The primary key is (project_id,
 * person_key), the distinct_id's keyed hash ({@link IndexKeys}); the id itself stays in the row.
 */
public final class ProfileStore {

    private final Database db;

    public ProfileStore(Database db) {
        this.db = db;
    }

    /** The person key of an id: the order {@link #scan} and {@link #some} list profiles in. */
    public byte[] key(long projectId, String distinctId) {
        return db.keys().person(projectId, distinctId);
    }

    public Optional<ObjectNode> get(long projectId, String distinctId) {
        return db.withConnection(c -> get(c, projectId, distinctId));
    }

    private static Optional<ObjectNode> get(Tx tx, long projectId, String distinctId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "SELECT person_key, distinct_id, properties, sealed FROM profiles WHERE project_id = ? AND person_key = ?")) {
            ps.setLong(1, projectId);
            ps.setBytes(2, tx.keys().person(projectId, distinctId));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // why: a profile whose key is gone was erased; an update then starts it afresh
                String[] f = tx.sealer().openAll(projectId, Sealer.Kind.PROFILE, List.of(stored(rs))).get(0);
                return f == null ? Optional.empty() : Optional.of((ObjectNode) Json.readTrusted(f[1]));
            }
        }
    }

    /** What a row read as (person_key, distinct_id, properties, sealed) holds. */
    private static Sealer.Stored stored(ResultSet rs) throws SQLException {
        return new Sealer.Stored(rs.getBytes(1), rs.getBytes(4), rs.getString(2), rs.getString(3));
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
        ProfileProperties.Changes names = new ProfileProperties.Changes();
        update(tx, projectId, distinctId, now, change, names);
        ProfileProperties.record(tx, projectId, names);
    }

    /**
     * Like {@link #update(Tx, long, String, long, UnaryOperator)}, adding the change of property
     * names to {@code names}; the caller records them once per transaction ({@link ProfileProperties#record}).
     */
    public void update(Tx tx, long projectId, String distinctId, long now, UnaryOperator<ObjectNode> change,
                       ProfileProperties.Changes names) throws SQLException {
        tx.lockRowForUpdate(lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "INSERT INTO profiles (project_id, person_key, distinct_id, properties, updated_at, sealed) VALUES (?, ?, '', "
                            + tx.jsonParam() + ", ?, ?) ON CONFLICT (project_id, person_key) DO NOTHING")) {
                byte[] person = tx.keys().person(projectId, distinctId);
                ps.setLong(1, projectId);
                ps.setBytes(2, person);
                ps.setString(3, "{}");
                ps.setLong(4, now);
                ps.setBytes(5, tx.sealer().seal(projectId, person, Sealer.Kind.PROFILE, distinctId, "{}"));
                ps.executeUpdate();
            }
        }, lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "SELECT 1 FROM profiles WHERE project_id = ? AND person_key = ? FOR UPDATE")) {
                ps.setLong(1, projectId);
                ps.setBytes(2, tx.keys().person(projectId, distinctId));
                ps.executeQuery().close();
            }
        });
        Optional<ObjectNode> stored = get(tx, projectId, distinctId);
        // why: the change edits the node it is given; the names it had are read before
        Set<String> before = stored.map(ProfileProperties::names).orElse(null);
        ObjectNode next = change.apply(stored.orElseGet(Json::object));
        if (next == null) {
            if (before != null) {
                deleteRows(tx, projectId, List.of(distinctId));
            }
        } else {
            put(tx, projectId, distinctId, next, now);
        }
        names.diff(before, next);
    }

    private void put(Tx tx, long projectId, String distinctId, ObjectNode properties, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO profiles (project_id, person_key, distinct_id, properties, updated_at, sealed) VALUES (?, ?, '', "
                        + tx.jsonParam() + ", ?, ?) ON CONFLICT (project_id, person_key) "
                        + "DO UPDATE SET distinct_id = '', properties = excluded.properties, updated_at = excluded.updated_at, "
                        + "sealed = excluded.sealed")) {
            byte[] person = tx.keys().person(projectId, distinctId);
            ps.setLong(1, projectId);
            ps.setBytes(2, person);
            ps.setString(3, "{}");
            ps.setLong(4, now);
            ps.setBytes(5, tx.sealer().seal(projectId, person, Sealer.Kind.PROFILE, distinctId, Json.write(properties)));
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the profiles of these ids in the caller's transaction, and lowers the counts of the
     * property names they held; returns how many.
     */
    public int delete(Tx c, long projectId, Collection<String> distinctIds) throws SQLException {
        ProfileProperties.Changes names = new ProfileProperties.Changes();
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT person_key, distinct_id, properties, sealed FROM profiles "
                    + "WHERE project_id = ? AND person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, chunk);
                for (Row row : rows(c, projectId, ps)) {
                    if (row.readable()) {
                        names.diff(ProfileProperties.names(Json.readTrusted(row.propertiesJson())), null);
                    }
                }
            }
        }
        int deleted = deleteRows(c, projectId, distinctIds);
        ProfileProperties.record(c, projectId, names);
        return deleted;
    }

    private static int deleteRows(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            try (PreparedStatement ps = tx.prepareStatement(
                    "DELETE FROM profiles WHERE project_id = ? AND person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, chunk);
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
                        "SELECT person_key, distinct_id, properties, sealed FROM profiles WHERE project_id = ? AND person_key IN ("
                                + Sql.placeholders(chunk.size()) + ") ORDER BY person_key")) {
                    ps.setLong(1, projectId);
                    c.keys().bindPersons(ps, 2, projectId, chunk);
                    for (Row row : rows(c, projectId, ps)) {
                        if (row.readable()) {
                            sink.accept(row.distinctId(), Json.readTrusted(row.propertiesJson()));
                        }
                    }
                }
                return null;
            });
        }
    }

    public long count(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        return Sql.countPersonKeysInChunks(tx, "SELECT COUNT(*) FROM profiles WHERE project_id = ? AND person_key IN (", projectId,
                distinctIds);
    }

    /**
     * A profile as a listing reads it; {@code key} is its place in the listing's order (the person key). A
     * profile whose content no longer opens (its person's key is destroyed) has a null id and properties.
     */
    public record Row(byte[] key, String distinctId, String propertiesJson) {
        public boolean readable() {
            return distinctId != null;
        }
    }

    /**
     * The next {@code limit} profiles of the project in person-key order after {@code afterKey}
     * (null: from the first), through the primary key. One short read per call. The order is that
     * of the keyed hashes: stable, but unrelated to the ids' own order.
     */
    public List<Row> scan(long projectId, byte[] afterKey, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT person_key, distinct_id, properties, sealed FROM profiles WHERE project_id = ?"
                    + (afterKey == null ? "" : " AND person_key > ?") + " ORDER BY person_key LIMIT ?")) {
                int i = 1;
                ps.setLong(i++, projectId);
                if (afterKey != null) {
                    ps.setBytes(i++, afterKey);
                }
                ps.setInt(i, limit);
                return rows(c, projectId, ps);
            }
        });
    }

    /** The profiles of these ids (at most {@link Sql#MAX_IN}), in person-key order. */
    public List<Row> some(long projectId, List<String> distinctIds) {
        if (distinctIds.isEmpty()) {
            return List.of();
        }
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT person_key, distinct_id, properties, sealed FROM profiles WHERE project_id = ? "
                    + "AND person_key IN (" + Sql.placeholders(distinctIds.size()) + ") ORDER BY person_key")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, distinctIds);
                return rows(c, projectId, ps);
            }
        });
    }

    /** How many profiles the project has. */
    public long count(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM profiles WHERE project_id = ?")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The rows of a query selecting (person_key, distinct_id, properties, sealed), their keys read in one keystore round trip. */
    private static List<Row> rows(Tx tx, long projectId, PreparedStatement ps) throws SQLException {
        List<Sealer.Stored> stored = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                stored.add(stored(rs));
            }
        }
        List<String[]> fields = tx.sealer().openAll(projectId, Sealer.Kind.PROFILE, stored);
        List<Row> out = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            String[] f = fields.get(i);
            out.add(f == null ? new Row(stored.get(i).personKey(), null, null) : new Row(stored.get(i).personKey(), f[0], f[1]));
        }
        return out;
    }
}
