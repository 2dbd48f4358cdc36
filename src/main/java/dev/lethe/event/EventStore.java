package dev.lethe.event;

import dev.lethe.store.Database;
import dev.lethe.store.Sql;
import dev.lethe.store.StoreKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Events of all projects. Every per-person access goes through the index on
 * (project_id, distinct_id, time_ms, ...), so its cost follows the person's data.
 */
public final class EventStore {

    private final Database db;

    public EventStore(Database db) {
        this.db = db;
    }

    /** Stores the events, skipping duplicates; returns how many were new. One transaction. */
    public int insert(long projectId, List<EventRecord> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return db.inTransaction(c -> insert(c, projectId, events));
    }

    /** Inserts within the caller's transaction; returns how many rows were new. */
    public int insert(Connection c, long projectId, List<EventRecord> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (EventRecord e : events) {
            min = Math.min(min, e.timeMs());
            max = Math.max(max, e.timeMs());
        }
        db.dialect().prepareEventTimes(c, min, max);
        String sql = "INSERT INTO events (project_id, distinct_id, event, time_ms, insert_id, source, properties, received_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, " + db.dialect().jsonParam() + ", ?) "
                + "ON CONFLICT (project_id, distinct_id, time_ms, event, insert_id) DO NOTHING";
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (EventRecord e : events) {
                ps.setLong(1, projectId);
                ps.setString(2, e.distinctId());
                ps.setString(3, e.event());
                ps.setLong(4, e.timeMs());
                ps.setString(5, e.insertId());
                ps.setString(6, e.source());
                ps.setString(7, e.propertiesJson());
                ps.setLong(8, e.receivedAt());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                if (n > 0) {
                    inserted += n;
                }
            }
        }
        return inserted;
    }

    /**
     * Streams the events of these ids with {@code time_ms >= fromMs}, in bounded memory (the
     * rows are fetched in pages, never collected).
     */
    public void forEach(long projectId, Collection<String> distinctIds, long fromMs, Consumer<EventRecord> sink) {
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            db.withConnection(c -> {
                // why: PostgreSQL only streams with a cursor inside a transaction.
                boolean pg = db.kind() == StoreKind.POSTGRES;
                if (pg) {
                    c.setAutoCommit(false);
                }
                try (PreparedStatement ps = c.prepareStatement(personEventsSql(chunk.size()))) {
                    ps.setFetchSize(1000);
                    ps.setLong(1, projectId);
                    int next = Sql.bindAll(ps, 2, chunk);
                    ps.setLong(next, fromMs);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.accept(new EventRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                    rs.getString(5), rs.getString(6), rs.getLong(7)));
                        }
                    }
                } finally {
                    if (pg) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                }
                return null;
            });
        }
    }

    /**
     * The query {@link #forEach} runs: parameters are the project id, {@code idCount} distinct
     * ids and {@code fromMs}. Public so a test can check its plan uses the person index.
     */
    public static String personEventsSql(int idCount) {
        return "SELECT distinct_id, event, time_ms, insert_id, source, properties, received_at FROM events "
                + "WHERE project_id = ? AND distinct_id IN (" + Sql.placeholders(idCount) + ") AND time_ms >= ? "
                + "ORDER BY distinct_id, time_ms";
    }

    /** Deletes at most {@code limit} events of these ids in the caller's transaction; returns how many. */
    public int deleteBatch(Connection c, long projectId, Collection<String> distinctIds, int limit) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            if (deleted >= limit) {
                break;
            }
            String in = Sql.placeholders(chunk.size());
            // why: the outer predicate repeats the person filter so PostgreSQL prunes to the
            // index of each partition instead of probing ids across the whole table.
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM events WHERE project_id = ? AND distinct_id IN (" + in + ") AND id IN ("
                            + "SELECT id FROM events WHERE project_id = ? AND distinct_id IN (" + in + ") LIMIT ?)")) {
                ps.setLong(1, projectId);
                int next = Sql.bindAll(ps, 2, chunk);
                ps.setLong(next++, projectId);
                next = Sql.bindAll(ps, next, chunk);
                ps.setInt(next, limit - deleted);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /** How many events these ids have (through the person index). */
    public long count(Connection c, long projectId, Collection<String> distinctIds) throws SQLException {
        long total = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM events WHERE project_id = ? AND distinct_id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                Sql.bindAll(ps, 2, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
        }
        return total;
    }

    public long count(long projectId, Collection<String> distinctIds) {
        return db.withConnection(c -> count(c, projectId, distinctIds));
    }

    /** All events of these ids, collected; for tests and small people only. */
    public List<EventRecord> list(long projectId, Collection<String> distinctIds) {
        List<EventRecord> out = new ArrayList<>();
        forEach(projectId, distinctIds, Long.MIN_VALUE, out::add);
        return out;
    }
}
