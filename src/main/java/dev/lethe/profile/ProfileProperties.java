package dev.lethe.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.PropertyShape;
import dev.lethe.store.Database;
import dev.lethe.store.Sql;

import dev.lethe.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The names of profile properties and how many profiles hold each now, kept as profiles change
 * so the schema endpoints never scan profiles. Names and JSON types only, never values. A name
 * no profile holds any longer (the last holder was deleted) is removed.
 */
public final class ProfileProperties {

    /** A property name, how many profiles hold it, and the JSON type of a value it had when a profile gained it. */
    public record Count(String property, long profiles, String type) {
    }

    /** Changes of one transaction, summed and written in name order (so concurrent writers never deadlock). */
    public static final class Changes {
        private final Map<String, Object[]> byName = new TreeMap<>();

        /** Counts the difference between a profile's property names before and its document after a change (either may be null). */
        public void diff(Set<String> before, JsonNode after) {
            if (before != null) {
                for (String name : before) {
                    if (after == null || !after.has(name)) {
                        add(name, -1, null);
                    }
                }
            }
            if (after != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    boolean had = before != null && before.contains(f.getKey());
                    add(f.getKey(), had ? 0 : 1, PropertyShape.typeOf(f.getValue()));
                }
            }
        }

        private void add(String name, int delta, String type) {
            Object[] v = byName.computeIfAbsent(name, k -> new Object[] {0L, null});
            v[0] = (Long) v[0] + delta;
            if (type != null) {
                v[1] = type;
            }
        }
    }

    /** The property names of a profile document. */
    public static Set<String> names(JsonNode profile) {
        Set<String> out = new HashSet<>();
        profile.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private final Database db;

    public ProfileProperties(Database db) {
        this.db = db;
    }

    /**
     * Writes a transaction's changes in the caller's transaction: one upsert of the changed counts and one delete of
     * the names no profile holds any more, each a statement for up to {@link Sql#MAX_IN} names (a batch was one
     * execution a name, about eight a deleted profile).
     */
    public static void record(Tx c, long projectId, Changes changes) throws SQLException {
        List<Map.Entry<String, Object[]>> changed = new ArrayList<>();
        List<String> lowered = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : changes.byName.entrySet()) {
            long delta = (Long) e.getValue()[0];
            // why: a value that changes type alone is not worth a write on every update; the type is
            // the one the property had when a profile gained it
            if (delta != 0) {
                changed.add(e);
            }
            if (delta < 0) {
                lowered.add(e.getKey());
            }
        }
        for (List<Map.Entry<String, Object[]>> chunk : Sql.chunks(changed)) {
            try (PreparedStatement up = c.prepareStatement("INSERT INTO profile_properties (project_id, property, profiles, "
                    + "type) VALUES " + Sql.rows(chunk.size(), 4) + " ON CONFLICT (project_id, property) DO UPDATE SET "
                    + "profiles = profile_properties.profiles + excluded.profiles, "
                    + "type = CASE WHEN excluded.type = '' THEN profile_properties.type ELSE excluded.type END")) {
                int i = 1;
                for (Map.Entry<String, Object[]> e : chunk) {
                    String type = (String) e.getValue()[1];
                    up.setLong(i++, projectId);
                    up.setString(i++, e.getKey());
                    up.setLong(i++, (Long) e.getValue()[0]);
                    up.setString(i++, type == null ? "" : type);
                }
                up.executeUpdate();
            }
        }
        for (List<String> chunk : Sql.chunks(lowered)) {
            try (PreparedStatement gone = c.prepareStatement("DELETE FROM profile_properties WHERE project_id = ? "
                    + "AND profiles <= 0 AND property IN (" + Sql.placeholders(chunk.size()) + ")")) {
                gone.setLong(1, projectId);
                Sql.bindAll(gone, 2, chunk);
                gone.executeUpdate();
            }
        }
    }

    /** The project's profile property names, most held first (then by name). */
    public List<Count> list(long projectId, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT property, profiles, type FROM profile_properties "
                    + "WHERE project_id = ? ORDER BY profiles DESC, property LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setInt(2, limit);
                List<Count> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Count(rs.getString(1), rs.getLong(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }
}
