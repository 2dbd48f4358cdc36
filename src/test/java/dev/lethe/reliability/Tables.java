package dev.lethe.reliability;

import dev.lethe.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Raw dumps of whole tables, for "nothing changed" and "no secret stored" checks. */
final class Tables {

    /** Every table that holds people's data or tasks; equal dumps mean no stored data changed. */
    static final List<String> DATA = List.of("events", "profiles", "identity_links", "tasks", "suppressions");

    private Tables() {
    }

    /** Every row of each table, every column as raw bytes in hex, in primary-key-free but stable order. */
    static List<String> dump(Database db, List<String> tables) {
        List<String> rows = new ArrayList<>();
        for (String table : tables) {
            List<String> tableRows = db.withConnection(c -> {
                List<String> out = new ArrayList<>();
                // why: table names come from the constant lists of this class, never from input.
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
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
            tableRows.sort(null);
            rows.addAll(tableRows);
        }
        return rows;
    }

    /** The names of all tables of the store's schema. */
    static List<String> all(Database db) {
        try (Connection c = db.dataSource().getConnection()) {
            List<String> out = new ArrayList<>();
            String schema = c.getSchema();
            try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    out.add(rs.getString("TABLE_NAME"));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
