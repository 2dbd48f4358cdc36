package dev.lethe.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals, at start-up, the rows a store holds from before its content was sealed (V018): the ids and
 * properties of events, profiles and identity links go into the row's {@code sealed} column under the
 * person's data key, and the clear columns are emptied. A batch at a time, each its own transaction, so a
 * crash loses at most one batch's work and the next start goes on from where it stopped; progress is
 * logged as counts (never a value). The clear copies the updates leave in free pages are then removed by
 * one rebuild (SQLite VACUUM, PostgreSQL VACUUM of the three tables), recorded as due until it has run.
 */
final class ContentSealing {

    private static final Logger log = LoggerFactory.getLogger(ContentSealing.class);
    private static final int BATCH = 1_000;
    /** Batches between refreshes of the keystore's statistics while it grows ({@link Keystore#refreshStatistics}). */
    private static final int STATISTICS_EVERY = 20;

    /**
     * A table whose rows are sealed: the columns that find a row (the project first, then the key its content is
     * sealed under), the clear columns sealed in this order, and the partial index on its unsealed rows.
     */
    private record Table(String name, Sealer.Kind kind, List<String> keyColumns, List<String> clearColumns, String clearValues) {

        /** The table's unsealed rows, through their partial index (on SQLite, whose planner may otherwise scan the table). */
        String unsealedRows(Database db) {
            return name + (db.kind() == StoreKind.SQLITE ? " INDEXED BY " + name + "_unsealed" : "") + " WHERE sealed IS NULL";
        }

        String select(Database db) {
            List<String> columns = new ArrayList<>(keyColumns);
            columns.addAll(clearColumns);
            return "SELECT " + String.join(", ", columns) + " FROM " + unsealedRows(db) + " ORDER BY "
                    + String.join(", ", keyColumns) + " LIMIT " + BATCH;
        }

        String update() {
            return "UPDATE " + name + " SET sealed = ?, " + clearValues + " WHERE "
                    + String.join(" AND ", keyColumns.stream().map(c -> c + " = ?").toList());
        }
    }

    private static final List<Table> TABLES = List.of(
            new Table("events", Sealer.Kind.EVENT, List.of("project_id", "person_key", "time_ms", "event_key"),
                    List.of("distinct_id", "insert_id", "properties"), "distinct_id = '', insert_id = '', properties = '{}'"),
            new Table("profiles", Sealer.Kind.PROFILE, List.of("project_id", "person_key"),
                    List.of("distinct_id", "properties"), "distinct_id = '', properties = '{}'"),
            new Table("identity_links", Sealer.Kind.LINK, List.of("project_id", "key_a", "key_b"),
                    List.of("id_a", "id_b"), "id_a = '', id_b = ''"));

    /** One row of a batch as read: the values that find it, and its clear fields. */
    private record Pending(Object[] key, String[] clear) {
        long projectId() {
            return ((Number) key[0]).longValue();
        }

        byte[] personKey() {
            return (byte[]) key[1];
        }
    }

    private ContentSealing() {
    }

    static void sealClearRows(Database db) {
        sealClearRows(db, Integer.MAX_VALUE);
    }

    /** Stops after {@code maxBatches} batches of each table, as a crash would: for the test of resumption. */
    static void sealClearRows(Database db, int maxBatches) {
        Map<Table, Long> unsealed = new LinkedHashMap<>();
        for (Table t : TABLES) {
            unsealed.put(t, unsealed(db, t));
        }
        long total = unsealed.values().stream().mapToLong(Long::longValue).sum();
        boolean due = db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT rebuild_due FROM content_sealing WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        });
        if (total == 0 && !due) {
            return;
        }
        if (total > 0) {
            log.info("sealing the store's content from before sealing with the persons' data keys: {} rows to seal {}",
                    total, unsealed.entrySet().stream().map(e -> e.getKey().name() + "=" + e.getValue()).toList());
        }
        boolean stopped = false;
        for (Table t : TABLES) {
            stopped |= !seal(db, t, unsealed.get(t), maxBatches);
        }
        if (stopped) {
            return;
        }
        log.info("removing the clear copies sealing left in free pages");
        db.asWriter(tx -> {
            db.dialect().removeOldRowVersions(tx.connection(), TABLES.stream().map(Table::name).toList());
            return null;
        });
        db.withConnection(tx -> {
            try (Statement s = tx.createStatement()) {
                s.executeUpdate("UPDATE content_sealing SET rebuild_due = 0 WHERE id = 1");
            }
            return null;
        });
        log.info("the store's content is sealed");
    }

    /** Seals the table's clear rows a batch at a time; false when it stopped after {@code maxBatches} with rows left. */
    private static boolean seal(Database db, Table table, long total, int maxBatches) {
        String select = table.select(db);
        String update = table.update();
        int keys = table.keyColumns().size();
        long done = 0;
        long nextReport = 100_000;
        for (int batch = 0; ; batch++) {
            if (batch == maxBatches) {
                return false;
            }
            int n = db.inTransaction(tx -> {
                List<Pending> rows = new ArrayList<>();
                try (PreparedStatement ps = tx.prepareStatement(select); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] key = new Object[keys];
                        for (int i = 0; i < keys; i++) {
                            key[i] = rs.getObject(i + 1);
                        }
                        String[] clear = new String[table.clearColumns().size()];
                        for (int i = 0; i < clear.length; i++) {
                            clear[i] = rs.getString(keys + i + 1);
                        }
                        rows.add(new Pending(key, clear));
                    }
                }
                if (rows.isEmpty()) {
                    return 0;
                }
                // why: the batch's persons get their keys in one keystore round trip per project before any row is sealed
                Map<Long, Map<ByteBuffer, byte[]>> persons = new TreeMap<>();
                for (Pending p : rows) {
                    persons.computeIfAbsent(p.projectId(), k -> new LinkedHashMap<>()).putIfAbsent(ByteBuffer.wrap(p.personKey()),
                            p.personKey());
                }
                persons.forEach((project, byKey) -> tx.sealer().prepare(project, List.copyOf(byKey.values())));
                try (PreparedStatement up = tx.prepareStatement(update)) {
                    for (Pending p : rows) {
                        up.setBytes(1, tx.sealer().seal(p.projectId(), p.personKey(), table.kind(), p.clear()));
                        for (int i = 0; i < keys; i++) {
                            up.setObject(i + 2, p.key()[i]);
                        }
                        up.addBatch();
                    }
                    up.executeBatch();
                }
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("INSERT INTO content_sealing (id, rebuild_due) VALUES (1, 1) "
                            + "ON CONFLICT (id) DO UPDATE SET rebuild_due = 1");
                }
                return rows.size();
            });
            if (n == 0) {
                break;
            }
            done += n;
            if (batch % STATISTICS_EVERY == STATISTICS_EVERY - 1) {
                db.keystore().refreshStatistics();
            }
            if (done >= nextReport) {
                log.info("sealed {} of {} {} rows", done, total, table.name());
                nextReport += 100_000;
            }
        }
        if (done > 0) {
            log.info("sealed {} {} rows", done, table.name());
        }
        return true;
    }

    private static long unsealed(Database db, Table table) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table.unsealedRows(db));
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
