package dev.lethe.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * V013, both dialects: index keys become keyed hashes ({@link IndexKeys}). Adds the key columns,
 * fills them row by row (the hash needs the instance key, which SQL does not have), then swaps the
 * indexes: the events dedupe index, and the primary keys of profiles, identity links and archive
 * subjects, lead with the hashes instead of the ids. Archive subjects lose their clear id (nothing
 * reads it back). The request keys of tasks not yet hashed by the retention become keyed too. The
 * store records a fingerprint of the key ({@code index_key_check}), so it is never opened with another.
 *
 * <p>A Flyway migration rather than a backfill after start: it runs in the migration's one
 * transaction, so a store is either wholly at V012 or wholly at V013 and no code path ever meets a
 * half-filled column; an upgrade that fails part-way leaves the store as it was, to be started again.
 * The price is that the server serves only once every row is rewritten (minutes per tens of millions
 * of events); the release notes say so.
 */
final class HashedKeysMigration implements JavaMigration {

    private static final int PAGE = 1_000;

    private final StoreKind kind;
    private final IndexKeys keys;

    HashedKeysMigration(StoreKind kind, IndexKeys keys) {
        this.kind = kind;
        this.keys = keys;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("013");
    }

    @Override
    public String getDescription() {
        return "hashed index keys";
    }

    @Override
    public Integer getChecksum() {
        return 13;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        execute(c, kind == StoreKind.POSTGRES ? POSTGRES_ADD : SQLITE_ADD);
        fill(c, "events", "project_id, distinct_id, event, insert_id", "person_key = ?, event_key = ?", "", (rs, ps) -> {
            long project = rs.getLong(2);
            ps.setBytes(1, keys.person(project, rs.getString(3)));
            ps.setBytes(2, keys.event(project, rs.getString(4), rs.getString(5)));
        });
        fill(c, "profiles", "project_id, distinct_id", "person_key = ?", "",
                (rs, ps) -> ps.setBytes(1, keys.person(rs.getLong(2), rs.getString(3))));
        fill(c, "identity_links", "project_id, id_a, id_b", "key_a = ?, key_b = ?", "", (rs, ps) -> {
            ps.setBytes(1, keys.person(rs.getLong(2), rs.getString(3)));
            ps.setBytes(2, keys.person(rs.getLong(2), rs.getString(4)));
        });
        fill(c, "archive_subjects", "project_id, distinct_id", "person_key = ?", "",
                (rs, ps) -> ps.setBytes(1, keys.person(rs.getLong(2), rs.getString(3))));
        // why: rows the id retention already rewrote (ids_hashed = 2) hold a keyed hash of their key already
        fill(c, "tasks", "project_id, request_key", "request_key = ?", " WHERE ids_hashed < 2",
                (rs, ps) -> ps.setString(1, keys.request(rs.getLong(2), rs.getString(3))));
        execute(c, kind == StoreKind.POSTGRES ? POSTGRES_SWAP : SQLITE_SWAP);
        // why: the hashes just written are only found again with this key; the store records which
        // one it was, and Database refuses to open with another
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE index_key_check (id INTEGER PRIMARY KEY, fingerprint "
                    + (kind == StoreKind.POSTGRES ? "BYTEA" : "BLOB") + " NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO index_key_check (id, fingerprint) VALUES (1, ?)")) {
            ps.setBytes(1, keys.fingerprint());
            ps.executeUpdate();
        }
    }

    /** Binds the SET parameters of one row from the columns read (column 1 is the row's locator). */
    @FunctionalInterface
    private interface Fill {
        void bind(ResultSet row, PreparedStatement update) throws SQLException;
    }

    private void fill(Connection c, String table, String columns, String set, String where, Fill fill) throws SQLException {
        if (kind == StoreKind.POSTGRES) {
            for (String relation : postgresRelations(c, table)) {
                fillByCtid(c, relation, columns, set, where, fill);
            }
        } else {
            fillByRowid(c, table, columns, set, where, fill);
        }
    }

    /** The partitions of events (each its own heap, so a ctid names one row in it), or the table itself. */
    private static List<String> postgresRelations(Connection c, String table) throws SQLException {
        if (!table.equals("events")) {
            return List.of(table);
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'events'::regclass ORDER BY 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                // why: the names are spliced into the statements below; only Lethe's own partitions pass
                if (!PostgresDialect.PARTITION_NAME.matcher(name).matches()) {
                    throw new IllegalStateException("events has a partition Lethe did not make: " + name);
                }
                out.add(name);
            }
        }
        return out;
    }

    private static void fillByCtid(Connection c, String relation, String columns, String set, String where, Fill fill)
            throws SQLException {
        // why: inside the migration's transaction the cursor streams, and it reads the snapshot it
        // started with, so the row versions the updates write are never read back.
        try (PreparedStatement read = c.prepareStatement("SELECT ctid::text, " + columns + " FROM ONLY " + relation + where);
             PreparedStatement update = c.prepareStatement("UPDATE ONLY " + relation + " SET " + set
                     + " WHERE ctid = CAST(? AS tid)")) {
            read.setFetchSize(PAGE);
            int locator = set.split("\\?", -1).length;
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    fill.bind(rs, update);
                    update.setString(locator, rs.getString(1));
                    update.addBatch();
                    if (++pending == PAGE) {
                        update.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
    }

    private static void fillByRowid(Connection c, String table, String columns, String set, String where, Fill fill)
            throws SQLException {
        String after = where.isEmpty() ? " WHERE rowid > ?" : where + " AND rowid > ?";
        try (PreparedStatement read = c.prepareStatement("SELECT rowid, " + columns + " FROM " + table + after
                + " ORDER BY rowid LIMIT " + PAGE);
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + set + " WHERE rowid = ?")) {
            int locator = set.split("\\?", -1).length;
            long last = Long.MIN_VALUE;
            while (true) {
                read.setLong(1, last);
                int rows = 0;
                // why: the page is read to its end before the updates run; SQLite leaves undefined what a
                // statement still stepping through a table sees of that table's changes.
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        fill.bind(rs, update);
                        update.setLong(locator, last);
                        update.addBatch();
                        rows++;
                    }
                }
                if (rows > 0) {
                    update.executeBatch();
                }
                if (rows < PAGE) {
                    return;
                }
            }
        }
    }

    private static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static final List<String> POSTGRES_ADD = List.of(
            "ALTER TABLE events ADD COLUMN person_key BYTEA, ADD COLUMN event_key BYTEA",
            "ALTER TABLE profiles ADD COLUMN person_key BYTEA",
            "ALTER TABLE identity_links ADD COLUMN key_a BYTEA, ADD COLUMN key_b BYTEA",
            "ALTER TABLE archive_subjects ADD COLUMN person_key BYTEA");

    private static final List<String> POSTGRES_SWAP = List.of(
            "ALTER TABLE events ALTER COLUMN person_key SET NOT NULL, ALTER COLUMN event_key SET NOT NULL",
            "DROP INDEX events_dedupe",
            // why: narrower than (distinct_id, event, insert_id), and it names no one: a dead item a
            // plain VACUUM leaves behind holds only a project, a time and two keyed hashes
            "CREATE UNIQUE INDEX events_dedupe ON events (project_id, person_key, time_ms, event_key)",
            "ALTER TABLE profiles ALTER COLUMN person_key SET NOT NULL, DROP CONSTRAINT profiles_pkey, "
                    + "ADD PRIMARY KEY (project_id, person_key)",
            "ALTER TABLE identity_links ALTER COLUMN key_a SET NOT NULL, ALTER COLUMN key_b SET NOT NULL, "
                    + "DROP CONSTRAINT identity_links_pkey, ADD PRIMARY KEY (project_id, key_a, key_b)",
            "ALTER TABLE archive_subjects ALTER COLUMN person_key SET NOT NULL, DROP CONSTRAINT archive_subjects_pkey, "
                    + "ADD PRIMARY KEY (project_id, person_key, task_id), DROP COLUMN distinct_id");

    private static final List<String> SQLITE_ADD = List.of(
            "ALTER TABLE events ADD COLUMN person_key BLOB",
            "ALTER TABLE events ADD COLUMN event_key BLOB",
            "ALTER TABLE profiles ADD COLUMN person_key BLOB",
            "ALTER TABLE identity_links ADD COLUMN key_a BLOB",
            "ALTER TABLE identity_links ADD COLUMN key_b BLOB",
            "ALTER TABLE archive_subjects ADD COLUMN person_key BLOB");

    /**
     * SQLite changes a primary key only by rebuilding the table. With secure_delete on, the pages of
     * the dropped tables and index (ids in clear) are zeroed as they are freed.
     */
    private static final List<String> SQLITE_SWAP = List.of(
            "DROP INDEX events_dedupe",
            "CREATE UNIQUE INDEX events_dedupe ON events (project_id, person_key, time_ms, event_key)",
            "CREATE TABLE profiles_v13 (project_id INTEGER NOT NULL, person_key BLOB NOT NULL, distinct_id TEXT NOT NULL, "
                    + "properties TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (project_id, person_key))",
            "INSERT INTO profiles_v13 (project_id, person_key, distinct_id, properties, updated_at) "
                    + "SELECT project_id, person_key, distinct_id, properties, updated_at FROM profiles",
            "DROP TABLE profiles",
            "ALTER TABLE profiles_v13 RENAME TO profiles",
            "CREATE TABLE identity_links_v13 (project_id INTEGER NOT NULL, key_a BLOB NOT NULL, key_b BLOB NOT NULL, "
                    + "id_a TEXT NOT NULL, id_b TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, "
                    + "role TEXT NOT NULL DEFAULT 'SAME', PRIMARY KEY (project_id, key_a, key_b))",
            "INSERT INTO identity_links_v13 (project_id, key_a, key_b, id_a, id_b, kind, created_at, role) "
                    + "SELECT project_id, key_a, key_b, id_a, id_b, kind, created_at, role FROM identity_links",
            "DROP TABLE identity_links",
            "ALTER TABLE identity_links_v13 RENAME TO identity_links",
            "CREATE TABLE archive_subjects_v13 (task_id INTEGER NOT NULL, project_id INTEGER NOT NULL, "
                    + "person_key BLOB NOT NULL, PRIMARY KEY (project_id, person_key, task_id))",
            "INSERT INTO archive_subjects_v13 (task_id, project_id, person_key) "
                    + "SELECT task_id, project_id, person_key FROM archive_subjects",
            "DROP TABLE archive_subjects",
            "ALTER TABLE archive_subjects_v13 RENAME TO archive_subjects",
            "CREATE INDEX archive_subjects_task ON archive_subjects (task_id)");
}
