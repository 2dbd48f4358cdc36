package dev.lethe.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    private ContentSealing() {
    }

    static void sealClearRows(Database db) {
        sealClearRows(db, Integer.MAX_VALUE);
    }

    /** Stops after {@code maxBatches} batches of each table, as a crash would: for the test of resumption. */
    static void sealClearRows(Database db, int maxBatches) {
        long events = unsealed(db, "events");
        long profiles = unsealed(db, "profiles");
        long links = unsealed(db, "identity_links");
        boolean due = db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT rebuild_due FROM content_sealing WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        });
        if (events + profiles + links == 0 && !due) {
            return;
        }
        if (events + profiles + links > 0) {
            log.info("sealing the store's content from before sealing with the persons' data keys: {} events, {} profiles, "
                    + "{} identity link rows", events, profiles, links);
        }
        boolean stopped = !seal(db, "events", events, maxBatches, "SELECT project_id, person_key, time_ms, event_key, distinct_id, insert_id, properties "
                        + "FROM events" + indexedBy(db, "events_unsealed") + " WHERE sealed IS NULL "
                        + "ORDER BY project_id, person_key, time_ms, event_key LIMIT " + BATCH,
                "UPDATE events SET sealed = ?, distinct_id = '', insert_id = '', properties = '{}' "
                        + "WHERE project_id = ? AND person_key = ? AND time_ms = ? AND event_key = ?",
                (tx, rs, ps) -> {
                    long project = rs.getLong(1);
                    byte[] person = rs.getBytes(2);
                    ps.setBytes(1, tx.sealer().seal(project, person, Sealer.Kind.EVENT, rs.getString(5), rs.getString(6),
                            rs.getString(7)));
                    ps.setLong(2, project);
                    ps.setBytes(3, person);
                    ps.setLong(4, rs.getLong(3));
                    ps.setBytes(5, rs.getBytes(4));
                });
        stopped |= !seal(db, "profiles", profiles, maxBatches, "SELECT project_id, person_key, distinct_id, properties FROM profiles"
                        + indexedBy(db, "profiles_unsealed") + " WHERE sealed IS NULL ORDER BY project_id, person_key LIMIT " + BATCH,
                "UPDATE profiles SET sealed = ?, distinct_id = '', properties = '{}' WHERE project_id = ? AND person_key = ?",
                (tx, rs, ps) -> {
                    long project = rs.getLong(1);
                    byte[] person = rs.getBytes(2);
                    ps.setBytes(1, tx.sealer().seal(project, person, Sealer.Kind.PROFILE, rs.getString(3), rs.getString(4)));
                    ps.setLong(2, project);
                    ps.setBytes(3, person);
                });
        stopped |= !seal(db, "identity_links", links, maxBatches, "SELECT project_id, key_a, key_b, id_a, id_b FROM identity_links"
                        + indexedBy(db, "identity_links_unsealed") + " WHERE sealed IS NULL ORDER BY project_id, key_a, key_b LIMIT "
                        + BATCH,
                "UPDATE identity_links SET sealed = ?, id_a = '', id_b = '' WHERE project_id = ? AND key_a = ? AND key_b = ?",
                (tx, rs, ps) -> {
                    long project = rs.getLong(1);
                    byte[] a = rs.getBytes(2);
                    ps.setBytes(1, tx.sealer().seal(project, a, Sealer.Kind.LINK, rs.getString(4), rs.getString(5)));
                    ps.setLong(2, project);
                    ps.setBytes(3, a);
                    ps.setBytes(4, rs.getBytes(3));
                });
        if (stopped) {
            return;
        }
        log.info("removing the clear copies sealing left in free pages");
        db.asWriter(tx -> {
            db.dialect().removeOldRowVersions(tx.connection(), List.of("events", "profiles", "identity_links"));
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

    @FunctionalInterface
    private interface RowSeal {
        void bind(Tx tx, ResultSet row, PreparedStatement update) throws SQLException;
    }

    /** Seals the table's clear rows a batch at a time; false when it stopped after {@code maxBatches} with rows left. */
    private static boolean seal(Database db, String table, long total, int maxBatches, String select, String update,
                                RowSeal rowSeal) {
        long done = 0;
        long nextReport = 100_000;
        for (int batch = 0; ; batch++) {
            if (batch == maxBatches) {
                return false;
            }
            int n = db.inTransaction(tx -> {
                // why: the batch's persons get their keys in one keystore round trip before any row is sealed
                Set<PersonRef> persons = new LinkedHashSet<>();
                try (PreparedStatement ps = tx.prepareStatement(select); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        persons.add(new PersonRef(rs.getLong(1), rs.getBytes(2)));
                    }
                }
                if (persons.isEmpty()) {
                    return 0;
                }
                java.util.Map<Long, List<byte[]>> byProject = new java.util.TreeMap<>();
                for (PersonRef p : persons) {
                    byProject.computeIfAbsent(p.projectId(), k -> new ArrayList<>()).add(p.personKey());
                }
                byProject.forEach((project, keys) -> tx.sealer().prepare(project, keys));
                int rows = 0;
                try (PreparedStatement ps = tx.prepareStatement(select); ResultSet rs = ps.executeQuery();
                     PreparedStatement up = tx.prepareStatement(update)) {
                    while (rs.next()) {
                        rowSeal.bind(tx, rs, up);
                        up.addBatch();
                        rows++;
                    }
                    up.executeBatch();
                }
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("INSERT INTO content_sealing (id, rebuild_due) VALUES (1, 1) "
                            + "ON CONFLICT (id) DO UPDATE SET rebuild_due = 1");
                }
                return rows;
            });
            if (n == 0) {
                break;
            }
            done += n;
            if (batch % STATISTICS_EVERY == STATISTICS_EVERY - 1) {
                db.keystore().refreshStatistics();
            }
            if (done >= nextReport) {
                log.info("sealed {} of {} {} rows", done, total, table);
                nextReport += 100_000;
            }
        }
        if (done > 0) {
            log.info("sealed {} {} rows", done, table);
        }
        return true;
    }

    private record PersonRef(long projectId, byte[] personKey) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PersonRef p && p.projectId == projectId && java.util.Arrays.equals(p.personKey, personKey);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(projectId) * 31 + java.util.Arrays.hashCode(personKey);
        }
    }

    private static long unsealed(Database db, String table) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table
                    + indexedBy(db, table + "_unsealed") + " WHERE sealed IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** On SQLite, the partial index the batches read through (its planner may otherwise scan the table). */
    private static String indexedBy(Database db, String index) {
        return db.kind() == StoreKind.SQLITE ? " INDEXED BY " + index : "";
    }
}
