package dev.lethe.testing;

import dev.lethe.store.Database;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;

/** Probes of what a store holds below its rows: the bytes of its files, or the tuples of its pages, dead ones included. */
public final class StorePages {

    private StorePages() {
    }

    /** Whether a SQLite file or its WAL holds these bytes. */
    public static boolean sqliteFilesHold(Path file, byte[] bytes) {
        return Stream.of(file, Path.of(file + "-wal")).filter(Files::exists).anyMatch(f -> Bytes.contains(Bytes.read(f), bytes));
    }

    /** Whether a SQLite file or its WAL holds the text as UTF-8. */
    public static boolean sqliteFilesHold(Path file, String text) {
        return sqliteFilesHold(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether any heap or TOAST tuple of the store's PostgreSQL schema, live or dead, holds the text as UTF-8
     * (read with pageinspect).
     */
    public static boolean postgresTuplesHold(Database db, String text) {
        return db.withConnection(tx -> {
            try (Statement s = tx.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            }
            try (PreparedStatement ps = tx.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_class t, "
                    + "LATERAL generate_series(0, pg_relation_size(t.oid) / current_setting('block_size')::int - 1) AS blk, "
                    + "LATERAL heap_page_items(get_raw_page(t.oid::regclass::text, blk::int)) AS item "
                    + "WHERE t.relkind IN ('r', 't') AND item.t_data IS NOT NULL "
                    + "AND t.relnamespace IN (current_schema()::regnamespace, 'pg_toast'::regnamespace) "
                    + "AND position(convert_to(?, 'UTF8') IN item.t_data) > 0)")) {
                ps.setString(1, text);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }
}
