package dev.lethe.identity;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Identity links between ids of one project. Each link is stored in both directions, so
 * the neighbours of an id are one primary-key range read whichever end it is; each row says
 * what its first id is to the second ({@link LinkRole}). The primary key is (project_id, key_a,
 * key_b), the ids' keyed hashes ({@link IndexKeys}); the ids themselves stay in the row.
 */
public final class IdentityStore {

    private final Database db;

    public IdentityStore(Database db) {
        this.db = db;
    }

    /** One stored row seen from its first id: the other id, how they were linked, and what the first id is to it. */
    public record Edge(String other, LinkKind kind, LinkRole role) {
    }

    /**
     * Links a and b as names of one person (idempotent), with no checks: for the operator's own
     * data (the demo, tests). Ingestion goes through {@code ingest.IdentityLinker}. A self-link is ignored.
     */
    public void link(long projectId, String a, String b, LinkKind kind, long now) {
        if (a.equals(b)) {
            return;
        }
        db.inTransaction(c -> {
            link(c, projectId, a, b, kind, now);
            return null;
        });
    }

    public void link(Tx c, long projectId, String a, String b, LinkKind kind, long now) throws SQLException {
        insert(c, projectId, a, LinkRole.SAME, b, LinkRole.SAME, kind, now);
    }

    /** The anonymous id {@code member} joins the person named by {@code owner} (idempotent). */
    public void join(Tx c, long projectId, String member, String owner, LinkKind kind, long now) throws SQLException {
        insert(c, projectId, member, LinkRole.MEMBER, owner, LinkRole.OWNER, kind, now);
    }

    private void insert(Tx c, long projectId, String a, LinkRole aRole, String b, LinkRole bRole, LinkKind kind, long now)
            throws SQLException {
        if (a.equals(b)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO identity_links (project_id, key_a, key_b, id_a, id_b, kind, created_at, role, sealed) "
                        + "VALUES (?, ?, ?, '', '', ?, ?, ?, ?) ON CONFLICT (project_id, key_a, key_b) DO NOTHING")) {
            byte[] keyA = c.keys().person(projectId, a);
            byte[] keyB = c.keys().person(projectId, b);
            c.sealer().prepare(projectId, List.of(keyA, keyB));
            for (Object[] row : new Object[][] {{a, b, aRole, keyA, keyB}, {b, a, bRole, keyB, keyA}}) {
                // why: each row is sealed with the key of the id it is read from, which is always in the erased
                // cluster when the row must go (both ends of a link are one person).
                ps.setLong(1, projectId);
                ps.setBytes(2, (byte[]) row[3]);
                ps.setBytes(3, (byte[]) row[4]);
                ps.setString(4, kind.name());
                ps.setLong(5, now);
                ps.setString(6, ((LinkRole) row[2]).name());
                ps.setBytes(7, c.sealer().seal(projectId, (byte[]) row[3], Sealer.Kind.LINK, (String) row[0], (String) row[1]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records that {@code id} names someone ({@link LinkKind#PROFILE}): one row of the id with itself, sealed and erased
     * with the id's other rows (idempotent).
     */
    public void markIdentified(Tx c, long projectId, String id, long now) throws SQLException {
        byte[] key = c.keys().person(projectId, id);
        c.sealer().prepare(projectId, List.of(key));
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO identity_links (project_id, key_a, key_b, id_a, id_b, kind, created_at, role, sealed) "
                        + "VALUES (?, ?, ?, '', '', ?, ?, ?, ?) ON CONFLICT (project_id, key_a, key_b) DO NOTHING")) {
            ps.setLong(1, projectId);
            ps.setBytes(2, key);
            ps.setBytes(3, key);
            ps.setString(4, LinkKind.PROFILE.name());
            ps.setLong(5, now);
            ps.setString(6, LinkRole.SAME.name());
            ps.setBytes(7, c.sealer().seal(projectId, key, Sealer.Kind.LINK, id, id));
            ps.executeUpdate();
        }
    }

    /** Every row of one id: what it is linked to and how. */
    public List<Edge> edges(Tx c, long projectId, String id) throws SQLException {
        List<Edge> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + ROW_COLUMNS + " FROM identity_links WHERE project_id = ? AND key_a = ?")) {
            ps.setLong(1, projectId);
            ps.setBytes(2, c.keys().person(projectId, id));
            for (Row r : rows(c, projectId, ps)) {
                out.add(new Edge(r.b(), r.kind(), r.role()));
            }
        }
        return out;
    }

    /** The rows a walk follows from these ids (not MEMBER rows), keyed by their first id. */
    public Map<String, List<Edge>> covered(Tx c, long projectId, Collection<String> ids) throws SQLException {
        Map<String, List<Edge>> out = new LinkedHashMap<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + ROW_COLUMNS + " FROM identity_links WHERE project_id = ? AND key_a IN ("
                            + Sql.placeholders(chunk.size()) + ") AND role <> 'MEMBER'")) {
                ps.setLong(1, projectId);
                c.keys().bindPersons(ps, 2, projectId, chunk);
                for (Row r : rows(c, projectId, ps)) {
                    out.computeIfAbsent(r.a(), k -> new ArrayList<>()).add(new Edge(r.b(), r.kind(), r.role()));
                }
            }
        }
        return out;
    }

    /**
     * Removes the device and identify links written before links had roles (undirected, SAME), so
     * they can be derived again from the events under today's rules; returns the links removed.
     * Aliases stay: {@code $create_alias} is not stored as an event, so nothing could derive them again.
     * Returns the links removed, each as its two ids in order.
     */
    public Set<List<String>> deleteUnrolledEventLinks(Tx c, long projectId) throws SQLException {
        Set<List<String>> removed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + ROW_COLUMNS + " FROM identity_links WHERE project_id = ? AND role = 'SAME' "
                        + "AND kind IN ('DEVICE', 'IDENTIFY')")) {
            ps.setLong(1, projectId);
            for (Row r : rows(c, projectId, ps)) {
                removed.add(pair(r.a(), r.b()));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM identity_links WHERE project_id = ? AND role = 'SAME' AND kind IN ('DEVICE', 'IDENTIFY')")) {
            ps.setLong(1, projectId);
            ps.executeUpdate();
        }
        return removed;
    }

    /** A link's two ids in a fixed order, whichever end it is read from. */
    public static List<String> pair(String a, String b) {
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
    }

    /** Removes one link, both rows. */
    public int unlink(Tx c, long projectId, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM identity_links WHERE project_id = ? AND ((key_a = ? AND key_b = ?) OR (key_a = ? AND key_b = ?))")) {
            byte[] keyA = c.keys().person(projectId, a);
            byte[] keyB = c.keys().person(projectId, b);
            ps.setLong(1, projectId);
            ps.setBytes(2, keyA);
            ps.setBytes(3, keyB);
            ps.setBytes(4, keyB);
            ps.setBytes(5, keyA);
            return ps.executeUpdate();
        }
    }

    /** The ids directly linked to any of these ids, whatever the role. */
    public Set<String> neighbours(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = tx.prepareStatement(
                    "SELECT " + ROW_COLUMNS + " FROM identity_links WHERE project_id = ? AND key_a IN ("
                            + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, chunk);
                for (Row r : rows(tx, projectId, ps)) {
                    out.add(r.b());
                }
            }
        }
        return out;
    }

    /** What every read of link rows selects, in this order; {@link #rows} opens it. */
    private static final String ROW_COLUMNS = "id_a, id_b, kind, role, key_a, sealed";

    /** A link row read with {@link #ROW_COLUMNS} and opened. */
    private record Row(String a, String b, LinkKind kind, LinkRole role) {
    }

    /**
     * The rows of a query selecting {@link #ROW_COLUMNS}, opened with their first ids' keys read in one
     * keystore round trip (only for the sealed ones); rows that no longer open are left out.
     */
    private static List<Row> rows(Tx tx, long projectId, PreparedStatement ps) throws SQLException {
        List<Row> read = new ArrayList<>();
        List<Sealer.Stored> stored = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                read.add(new Row(null, null, LinkKind.valueOf(rs.getString(3)), LinkRole.valueOf(rs.getString(4))));
                stored.add(new Sealer.Stored(rs.getBytes(5), rs.getBytes(6), rs.getString(1), rs.getString(2)));
            }
        }
        List<String[]> ids = tx.sealer().openAll(projectId, Sealer.Kind.LINK, stored);
        List<Row> out = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
            String[] pair = ids.get(i);
            if (pair != null) {
                out.add(new Row(pair[0], pair[1], read.get(i).kind(), read.get(i).role()));
            }
        }
        return out;
    }

    /** The two key columns of a link row, each with its own index. */
    private static final List<String> SIDES = List.of("key_a", "key_b");

    /** Removes every link touching these ids, both directions; returns the rows removed. */
    public int deleteAll(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(ids)) {
            // why: one statement a side, so each searches its own index (the primary key for key_a,
            // identity_links_by_second_key for key_b); with OR, SQLite scanned the project's links.
            for (String side : SIDES) {
                try (PreparedStatement ps = tx.prepareStatement("DELETE FROM identity_links WHERE project_id = ? AND " + side
                        + " IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    ps.setLong(1, projectId);
                    tx.keys().bindPersons(ps, 2, projectId, chunk);
                    deleted += ps.executeUpdate();
                }
            }
        }
        return deleted;
    }

    public long countLinks(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        return Sql.countPersonKeysInChunks(tx, "SELECT COUNT(*) FROM identity_links WHERE project_id = ? AND key_a IN (", projectId, ids);
    }
}
