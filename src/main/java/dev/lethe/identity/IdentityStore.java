package dev.lethe.identity;

import dev.lethe.store.Database;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Identity links between ids of one project. Each link is stored in both directions, so
 * the neighbours of an id are one primary-key range read whichever end it is.
 */
public final class IdentityStore {

    private final Database db;

    public IdentityStore(Database db) {
        this.db = db;
    }

    /** Links a and b (idempotent). A self-link is ignored. */
    public void link(long projectId, String a, String b, LinkKind kind, long now) {
        if (a.equals(b)) {
            return;
        }
        db.inTransaction(c -> {
            link(c, projectId, a, b, kind, now);
            return null;
        });
    }

    public void link(Tx tx, long projectId, String a, String b, LinkKind kind, long now) throws SQLException {
        if (a.equals(b)) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO identity_links (project_id, id_a, id_b, kind, created_at) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (project_id, id_a, id_b) DO NOTHING")) {
            for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                ps.setLong(1, projectId);
                ps.setString(2, pair[0]);
                ps.setString(3, pair[1]);
                ps.setString(4, kind.name());
                ps.setLong(5, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The ids directly linked to any of these ids. */
    public Set<String> neighbours(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = tx.prepareStatement(
                    "SELECT id_b FROM identity_links WHERE project_id = ? AND id_a IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                Sql.bindAll(ps, 2, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    /** Removes every link touching these ids, both directions; returns the rows removed. */
    public int deleteAll(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(ids)) {
            String in = Sql.placeholders(chunk.size());
            try (PreparedStatement ps = tx.prepareStatement(
                    "DELETE FROM identity_links WHERE project_id = ? AND (id_a IN (" + in + ") OR id_b IN (" + in + "))")) {
                ps.setLong(1, projectId);
                int next = Sql.bindAll(ps, 2, chunk);
                Sql.bindAll(ps, next, chunk);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    public long countLinks(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        return Sql.countInChunks(tx, "SELECT COUNT(*) FROM identity_links WHERE project_id = ? AND id_a IN (", projectId, ids);
    }
}
