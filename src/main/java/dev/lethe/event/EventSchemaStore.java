package dev.lethe.event;

import dev.lethe.store.Database;

import dev.lethe.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Event names and the names of their properties, with how many events carried each: kept at
 * ingestion so the schema endpoints never scan events. Names and JSON types only, never values.
 * Counts are of events received: a deletion does not lower them (docs/query-api.md).
 */
public final class EventSchemaStore {

    /** A property of an event and how many events carried it. */
    public record PropertyCount(String property, long events, String type) {
    }

    /** A name and its count. */
    public record NameCount(String name, long events) {
    }

    /** What one transaction adds, summed in memory and written in key order (so concurrent writers never deadlock). */
    public static final class Tally {
        private final Map<String, long[]> events = new TreeMap<>();
        private final Map<String, Map<String, PropertyTally>> properties = new TreeMap<>();

        private record PropertyTally(long[] count, String[] type) {
        }

        public void add(String event, List<PropertyShape> shapes, long receivedAt) {
            long[] e = events.computeIfAbsent(event, k -> new long[2]);
            e[0]++;
            e[1] = Math.max(e[1], receivedAt);
            Map<String, PropertyTally> props = properties.computeIfAbsent(event, k -> new TreeMap<>());
            for (PropertyShape s : shapes) {
                PropertyTally t = props.computeIfAbsent(s.name(), k -> new PropertyTally(new long[1], new String[1]));
                t.count()[0]++;
                t.type()[0] = s.type();
            }
        }

        public boolean isEmpty() {
            return events.isEmpty();
        }
    }

    private final Database db;

    public EventSchemaStore(Database db) {
        this.db = db;
    }

    /** Adds a transaction's tally in the caller's transaction. */
    public void record(Tx c, long projectId, Tally tally) throws SQLException {
        if (tally.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event_names (project_id, event, events, last_seen_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (project_id, event) DO UPDATE SET events = event_names.events + excluded.events, "
                        + "last_seen_at = CASE WHEN excluded.last_seen_at > event_names.last_seen_at "
                        + "THEN excluded.last_seen_at ELSE event_names.last_seen_at END")) {
            for (Map.Entry<String, long[]> e : tally.events.entrySet()) {
                ps.setLong(1, projectId);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue()[0]);
                ps.setLong(4, e.getValue()[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event_properties (project_id, event, property, events, type) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (project_id, event, property) DO UPDATE SET "
                        + "events = event_properties.events + excluded.events, type = excluded.type")) {
            int n = 0;
            for (Map.Entry<String, Map<String, Tally.PropertyTally>> e : tally.properties.entrySet()) {
                for (Map.Entry<String, Tally.PropertyTally> p : e.getValue().entrySet()) {
                    ps.setLong(1, projectId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, p.getKey());
                    ps.setLong(4, p.getValue().count()[0]);
                    ps.setString(5, p.getValue().type()[0]);
                    ps.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /** The project's event names, most frequent first (then by name). */
    public List<NameCount> names(long projectId, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT event, events FROM event_names WHERE project_id = ? ORDER BY events DESC, event LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setInt(2, limit);
                List<NameCount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NameCount(rs.getString(1), rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }

    /** The properties of one event, most frequent first (then by name). */
    public List<PropertyCount> properties(long projectId, String event, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT property, events, type FROM event_properties "
                    + "WHERE project_id = ? AND event = ? ORDER BY events DESC, property LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setString(2, event);
                ps.setInt(3, limit);
                return read(ps);
            }
        });
    }

    /** Every event of the project with its properties, by event name then property name. */
    public Map<String, List<PropertyCount>> all(long projectId) {
        return db.withConnection(c -> {
            Map<String, List<PropertyCount>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT event FROM event_names WHERE project_id = ? ORDER BY event")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new ArrayList<>());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT event, property, events, type FROM event_properties "
                    + "WHERE project_id = ? ORDER BY event, property")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new PropertyCount(rs.getString(2), rs.getLong(3), rs.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    private static List<PropertyCount> read(PreparedStatement ps) throws SQLException {
        List<PropertyCount> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new PropertyCount(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return out;
    }
}
