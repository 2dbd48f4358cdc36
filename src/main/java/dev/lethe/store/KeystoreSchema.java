package dev.lethe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The keystore's tables, which it creates itself (it is not migrated with the store by Flyway: on PostgreSQL it may
 * live in a database of its own). {@code person_keys} holds one data key a row, wrapped by the key of its
 * sub-bucket {@code sub} ({@link KeySubBuckets}; null for rows from before sub-buckets, wrapped by their bucket's key
 * until a destruction in the bucket moves them) in its {@code bucket} (null for rows from before buckets, wrapped by
 * KEK 0 itself until they are moved into buckets); {@code key_sub_buckets} holds the sub-bucket keys, each wrapped by
 * its bucket's; {@code key_buckets} holds the {@value KeyBuckets#COUNT} bucket keys, each with the id of the KEK that
 * wraps it ({@code kek}); {@code keystore_meta} is one row naming the current KEK, the one a rotation moves the
 * buckets to.
 */
final class KeystoreSchema {

    private static final String POSTGRES_SCHEMA = "lethe_keys";
    /** PostgreSQL states that mean another instance starting at the same moment made the object first. */
    private static final java.util.Set<String> MADE_BY_ANOTHER = java.util.Set.of("23505", "42P07", "42701", "42P06");

    private final StoreKind kind;
    /** The table of the wrapped keys, schema-qualified on PostgreSQL. */
    final String keys;
    /** The table of the bucket keys. */
    final String buckets;
    /** The table of the sub-bucket keys. */
    final String subBuckets;
    /** The one-row table of the current KEK id. */
    final String meta;
    /** How many destructions each project has had: a reader that kept keys between reads checks it instead of the keys. */
    final String destructions;

    KeystoreSchema(StoreKind kind) {
        this.kind = kind;
        this.keys = kind == StoreKind.SQLITE ? "person_keys" : POSTGRES_SCHEMA + ".person_keys";
        this.buckets = kind == StoreKind.SQLITE ? "key_buckets" : POSTGRES_SCHEMA + ".key_buckets";
        this.subBuckets = kind == StoreKind.SQLITE ? "key_sub_buckets" : POSTGRES_SCHEMA + ".key_sub_buckets";
        this.meta = kind == StoreKind.SQLITE ? "keystore_meta" : POSTGRES_SCHEMA + ".keystore_meta";
        this.destructions = kind == StoreKind.SQLITE ? "key_destructions" : POSTGRES_SCHEMA + ".key_destructions";
    }

    /**
     * Creates what is missing: the tables, the {@code bucket} and {@code sub} columns of a keystore made before them,
     * the meta row. The index on (sub, bucket) serves a re-key's reads of sub-buckets and of buckets' rows from
     * before sub-buckets; it replaces the index on bucket alone.
     */
    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (kind == StoreKind.SQLITE) {
                s.execute("CREATE TABLE IF NOT EXISTS person_keys (project_id INTEGER NOT NULL, person_key BLOB NOT NULL, "
                        + "wrapped BLOB NOT NULL, created_at INTEGER NOT NULL, bucket INTEGER, sub INTEGER, "
                        + "PRIMARY KEY (project_id, person_key)) WITHOUT ROWID");
                for (String column : new String[] {"bucket", "sub"}) {
                    if (!sqliteHasColumn(s, column)) {
                        s.execute("ALTER TABLE person_keys ADD COLUMN " + column + " INTEGER");
                    }
                }
                s.execute("CREATE INDEX IF NOT EXISTS person_keys_sub_bucket ON person_keys (sub, bucket)");
                s.execute("DROP INDEX IF EXISTS person_keys_bucket");
                s.execute("CREATE TABLE IF NOT EXISTS key_sub_buckets (sub INTEGER PRIMARY KEY, wrapped BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS key_buckets (bucket INTEGER PRIMARY KEY, kek INTEGER NOT NULL, "
                        + "wrapped BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS keystore_meta (one INTEGER PRIMARY KEY CHECK (one = 1), "
                        + "current_kek INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS key_destructions (project_id INTEGER PRIMARY KEY, "
                        + "destructions INTEGER NOT NULL)");
            } else {
                tolerant(s, "CREATE SCHEMA IF NOT EXISTS " + POSTGRES_SCHEMA);
                tolerant(s, "CREATE TABLE IF NOT EXISTS " + keys + " (project_id BIGINT NOT NULL, person_key BYTEA NOT NULL, "
                        + "wrapped BYTEA NOT NULL, created_at BIGINT NOT NULL, bucket INTEGER, sub INTEGER, "
                        + "PRIMARY KEY (project_id, person_key))");
                // why: the keys are random and never compared; statistics would only copy some into pg_statistic.
                tolerant(s, "ALTER TABLE " + keys + " ALTER COLUMN wrapped SET STATISTICS 0");
                java.util.Set<String> present = postgresCatalog(c);
                for (String column : new String[] {"bucket", "sub"}) {
                    if (!present.contains("column " + column)) {
                        // why: looked up first, since even ADD COLUMN IF NOT EXISTS takes the table's exclusive lock,
                        // which every start would then wait for behind the running servers' key reads
                        tolerant(s, "ALTER TABLE " + keys + " ADD COLUMN IF NOT EXISTS " + column + " INTEGER");
                    }
                }
                if (!present.contains("index person_keys_sub_bucket")) {
                    // why: looked up first too: CREATE INDEX IF NOT EXISTS waits for a lock that blocks key writers
                    tolerant(s, "CREATE INDEX IF NOT EXISTS person_keys_sub_bucket ON " + keys + " (sub, bucket)");
                }
                if (present.contains("index person_keys_bucket")) {
                    tolerant(s, "DROP INDEX IF EXISTS " + POSTGRES_SCHEMA + ".person_keys_bucket");
                }
                tolerant(s, "CREATE TABLE IF NOT EXISTS " + subBuckets + " (sub INTEGER PRIMARY KEY, wrapped BYTEA NOT NULL)");
                tolerant(s, "ALTER TABLE " + subBuckets + " ALTER COLUMN wrapped SET STATISTICS 0");
                tolerant(s, "CREATE TABLE IF NOT EXISTS " + buckets + " (bucket INTEGER PRIMARY KEY, kek INTEGER NOT NULL, "
                        + "wrapped BYTEA NOT NULL)");
                tolerant(s, "ALTER TABLE " + buckets + " ALTER COLUMN wrapped SET STATISTICS 0");
                tolerant(s, "CREATE TABLE IF NOT EXISTS " + meta + " (one INTEGER PRIMARY KEY CHECK (one = 1), "
                        + "current_kek INTEGER NOT NULL)");
                tolerant(s, "CREATE TABLE IF NOT EXISTS " + destructions + " (project_id BIGINT PRIMARY KEY, "
                        + "destructions BIGINT NOT NULL)");
            }
            s.execute("INSERT INTO " + meta + " (one, current_kek) VALUES (1, 0) ON CONFLICT (one) DO NOTHING");
        }
    }

    /** The current KEK id as committed. */
    int currentKek(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_kek FROM " + meta + " WHERE one = 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("the keystore has no " + meta + " row; it is made when the keystore opens");
            }
            return rs.getInt(1);
        }
    }

    /**
     * Counts a destruction of the project's keys, in the transaction that deletes them. Last in that transaction, so
     * on PostgreSQL the row lock, which orders the project's destructions, is held only while it commits.
     */
    void countDestruction(Connection c, long projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + destructions + " (project_id, destructions) VALUES (?, 1) "
                + "ON CONFLICT (project_id) DO UPDATE SET destructions = " + destructions + ".destructions + 1")) {
            ps.setLong(1, projectId);
            ps.executeUpdate();
        }
    }

    /** How many destructions of the project's keys have committed; 0 before the first. */
    long destructionCount(Connection c, long projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT destructions FROM " + destructions + " WHERE project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    void setCurrentKek(Connection c, int kek) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + meta + " SET current_kek = ? WHERE one = 1")) {
            ps.setInt(1, kek);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the keystore has no " + meta + " row to update");
            }
        }
    }

    private static boolean sqliteHasColumn(Statement s, String column) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pragma_table_info('person_keys') WHERE name = '" + column + "'")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /**
     * What of {@code person_keys} exists, in one catalog read at start: "column name" for its columns, "index name" for
     * the keystore schema's indexes.
     */
    private static java.util.Set<String> postgresCatalog(Connection c) throws SQLException {
        // why: the catalog itself, not information_schema, whose views cost ~17 ms at every start
        try (PreparedStatement ps = c.prepareStatement("SELECT 'column ' || a.attname FROM pg_catalog.pg_attribute a "
                + "JOIN pg_catalog.pg_class t ON t.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE n.nspname = ? AND t.relname = 'person_keys' AND a.attnum > 0 AND NOT a.attisdropped "
                + "UNION ALL SELECT 'index ' || indexname FROM pg_catalog.pg_indexes WHERE schemaname = ?")) {
            ps.setString(1, POSTGRES_SCHEMA);
            ps.setString(2, POSTGRES_SCHEMA);
            java.util.Set<String> out = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static void tolerant(Statement s, String ddl) throws SQLException {
        try {
            s.execute(ddl);
        } catch (SQLException e) {
            // why: two instances starting at once race on IF NOT EXISTS (a unique violation on the catalog, or the
            // object "already exists"); the other one made it, which is all this needs.
            if (!MADE_BY_ANOTHER.contains(e.getSQLState())) {
                throw e;
            }
        }
    }
}
