package dev.lethe.testing;

import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Every column (raw bytes) of every row of the person tables, except the rows of the
 * {@code excluded} ids of one project (found by their person keys): equal snapshots before and after a deletion mean
 * nobody else's data changed, including the same ids in other projects.
 */
public final class RowSnapshot {

    private RowSnapshot() {
    }

    public static List<String> othersThan(Database db, long projectId, Set<String> excluded) {
        List<String> rows = new ArrayList<>();
        // why: the ids are sealed in the rows; the person keys (their keyed hashes) say whose a row is
        Set<String> keys = new java.util.HashSet<>();
        for (String id : excluded) {
            keys.add(HexFormat.of().formatHex(db.keys().person(projectId, id)));
        }
        rows.addAll(table(db, "SELECT * FROM events ORDER BY id", projectId, keys, "person_key"));
        rows.addAll(table(db, "SELECT * FROM profiles ORDER BY project_id, person_key", projectId, keys, "person_key"));
        rows.addAll(table(db, "SELECT * FROM identity_links ORDER BY project_id, key_a, key_b", projectId, keys, "key_a", "key_b"));
        return rows;
    }

    private static List<String> table(Database db, String sql, long projectId, Set<String> excluded, String... keyColumns) {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                rows:
                while (rs.next()) {
                    for (String col : keyColumns) {
                        if (rs.getLong("project_id") == projectId && excluded.contains(HexFormat.of().formatHex(rs.getBytes(col)))) {
                            continue rows;
                        }
                    }
                    StringBuilder row = new StringBuilder(md.getTableName(1)).append(':');
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        byte[] raw = rs.getBytes(i);
                        row.append(md.getColumnName(i)).append('=')
                                .append(raw == null ? "NULL" : HexFormat.of().formatHex(raw)).append(';');
                    }
                    out.add(row.toString());
                }
            }
            return out;
        });
    }
}
