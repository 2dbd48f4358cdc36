package dev.lethe.bench;

import dev.lethe.store.Database;
import dev.lethe.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * The least work the database itself must do for the same deletions and retrievals, with
 * no API, no task engine, no key destruction or decryption and the person's ids known in advance: plain indexed statements
 * on an identical copy of the store (its index keys hashed with the same instance key). Lethe's
 * figures are reported as a ratio to these.
 */
final class SqlBaseline {

    private final Database db;
    private final long projectId;

    SqlBaseline(Database db, long projectId) {
        this.db = db;
        this.projectId = projectId;
    }

    /** Deletes the person's events, profile and links in one transaction; returns the events deleted. */
    long delete(List<String> ids) {
        return db.inTransaction(c -> {
            String in = Sql.placeholders(ids.size());
            long deleted;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM events WHERE project_id = ? AND person_key IN (" + in + ")")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, ids);
                deleted = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM profiles WHERE project_id = ? AND person_key IN (" + in + ")")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, ids);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM identity_links WHERE project_id = ? AND (key_a IN (" + in + ") OR key_b IN (" + in + "))")) {
                ps.setLong(1, projectId);
                int next = c.keys().bindPersons(ps, 2, projectId, ids);
                c.keys().bindPersons(ps, next, projectId, ids);
                ps.executeUpdate();
            }
            return deleted;
        });
    }

    /** Reads every column of the person's events and profile; returns the bytes read. */
    long retrieve(List<String> ids) {
        return db.withConnection(c -> {
            String in = Sql.placeholders(ids.size());
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT distinct_id, event, time_ms, insert_id, source, properties, sealed FROM events "
                            + "WHERE project_id = ? AND person_key IN (" + in + ")")) {
                ps.setFetchSize(1000);
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] sealed = rs.getBytes(7);
                        bytes += rs.getString(1).length() + rs.getString(2).length() + 8
                                + rs.getString(4).length() + rs.getString(5).length() + rs.getString(6).length()
                                + (sealed == null ? 0 : sealed.length);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT properties, sealed FROM profiles WHERE project_id = ? AND person_key IN (" + in + ")")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] sealed = rs.getBytes(2);
                        bytes += rs.getString(1).length() + (sealed == null ? 0 : sealed.length);
                    }
                }
            }
            return bytes;
        });
    }
}
