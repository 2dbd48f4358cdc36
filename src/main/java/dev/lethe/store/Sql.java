package dev.lethe.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small helpers for writing bound SQL; values are always parameters, never spliced in. */
public final class Sql {

    /** The largest IN-list Lethe binds in one statement; longer lists are chunked by the caller. */
    public static final int MAX_IN = 500;

    private Sql() {
    }

    /** The values split into lists of at most {@link #MAX_IN}, for IN-lists. */
    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(values);
        List<List<T>> out = new ArrayList<>();
        for (int start = 0; start < all.size(); start += MAX_IN) {
            out.add(all.subList(start, Math.min(all.size(), start + MAX_IN)));
        }
        return out;
    }

    /** {@code ?, ?, ?} with n placeholders. */
    public static String placeholders(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /**
     * {@code (?, ?), (?, ?)}: the VALUES of a multi-row insert of {@code rows} rows of {@code columns}: one statement for
     * what a batch sends as one execution a row (on PostgreSQL each its own bind, plan lookup and executor run).
     */
    public static String rows(int rows, int columns) {
        if (rows <= 0) {
            throw new IllegalArgumentException("a VALUES list needs at least one row");
        }
        return String.join(", ", Collections.nCopies(rows, "(" + placeholders(columns) + ")"));
    }

    /**
     * {@code UPDATE table SET c1 = CASE key WHEN ? THEN ? ... END, c2 = ... WHERE key IN (?, ...)} for {@code rows} rows:
     * one statement that sets each row's own values. Bind, for each column in turn, each row's key and value, then the
     * rows' keys.
     */
    public static String updateByKey(String table, String key, List<String> columns, int rows) {
        String cases = (" WHEN ? THEN ?").repeat(rows);
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i)).append(" = CASE ").append(key).append(cases).append(" END");
        }
        return sql.append(" WHERE ").append(key).append(" IN (").append(placeholders(rows)).append(")").toString();
    }

    /**
     * Runs {@code countSqlUpToIn + "?, ?, …)"} once per chunk of the ids (the project id bound
     * first, then the chunk's {@link IndexKeys#person person keys}) and returns the sum of the counts.
     */
    public static long countPersonKeysInChunks(Tx tx, String countSqlUpToIn, long projectId, Collection<String> ids)
            throws SQLException {
        long total = 0;
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps = tx.prepareStatement(countSqlUpToIn + placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
        }
        return total;
    }

    /** Binds values from parameter index {@code first}; returns the next free index. */
    public static int bindAll(PreparedStatement ps, int first, Collection<String> values) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }
}
