package dev.lethe.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.InstanceKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The persons' data keys, kept apart from the store they unlock: on SQLite the file {@code keys.db} beside
 * {@code lethe.db}, on PostgreSQL the schema {@code lethe_keys} of the keystore database (the store's own
 * unless {@code --keystore-jdbc-url} names another). One key per person key ({@link IndexKeys#person}),
 * wrapped with the key of its bucket ({@link KeyBuckets}), which the instance key's
 * {@link InstanceKey#wrappingKey} wraps; an identity cluster's content is sealed with the keys of its ids, so
 * merging clusters needs no re-keying, and erasing one destroys all its keys. A destruction re-keys the buckets
 * it touched, so cleaning up after it means cleaning the small bucket table only, whatever the number of people;
 * the main store, where only ciphertext of the destroyed keys is left, needs no cleaning at all.
 */
public final class Keystore implements AutoCloseable {

    public static final String SQLITE_FILE = "keys.db";
    private static final String SCHEMA = "lethe_keys";

    private final HikariDataSource dataSource;
    private final StoreKind kind;
    private final Dialect dialect;
    private final DataKey wrapping;
    private final String table;
    private final KeyBuckets buckets;
    private final Path file;
    private final java.time.Duration snapshotWait;
    private final GroupCommit scrubs = new GroupCommit();
    /** PostgreSQL: the newest transaction that destroyed keys, for the scrub's wait on older snapshots and transactions. */
    private final java.util.concurrent.atomic.AtomicLong destroyedBefore = new java.util.concurrent.atomic.AtomicLong();

    private Keystore(HikariDataSource dataSource, Dialect dialect, DataKey wrapping, Path file, java.time.Duration snapshotWait) {
        this.snapshotWait = snapshotWait;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.kind = dialect.kind();
        this.wrapping = wrapping;
        this.table = kind == StoreKind.SQLITE ? "person_keys" : SCHEMA + ".person_keys";
        this.buckets = new KeyBuckets(kind, kind == StoreKind.SQLITE ? "" : SCHEMA + ".", wrapping);
        this.file = file;
    }

    static Keystore open(StoreConfig config, InstanceKey instanceKey) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("lethe-keystore");
        hikari.setConnectionTimeout(30_000);
        Path file = null;
        switch (config.kind()) {
            case SQLITE -> {
                file = config.dataDir().resolve(SQLITE_FILE);
                try {
                    PrivateFiles.createFile(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the keystore " + file, e);
                }
                hikari.setDataSource(Database.sqliteDataSource(file, config.busyTimeout()));
                hikari.setMaximumPoolSize(4);
            }
            case POSTGRES -> {
                hikari.setJdbcUrl(config.keystoreJdbcUrl());
                if (config.dbUser() != null) hikari.setUsername(config.dbUser());
                if (config.dbPassword() != null) hikari.setPassword(config.dbPassword());
                hikari.setMaximumPoolSize(4);
            }
        }
        HikariDataSource ds = new HikariDataSource(hikari);
        // why: the keystore is a store of its own kind: on SQLite a file with its own single writer, queued like the store's
        Dialect dialect = config.kind() == StoreKind.SQLITE ? new SqliteDialect(config.busyTimeout().toMillis(), file)
                : new PostgresDialect();
        Keystore keystore = new Keystore(ds, dialect, instanceKey.wrappingKey(), file, config.busyTimeout());
        try {
            keystore.createSchema();
            keystore.moveUnbucketedKeys();
        } catch (SQLException e) {
            ds.close();
            throw new StoreException(e);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return keystore;
    }

    private void createSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (kind == StoreKind.SQLITE) {
                s.execute("CREATE TABLE IF NOT EXISTS person_keys (project_id INTEGER NOT NULL, person_key BLOB NOT NULL, "
                        + "wrapped BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (project_id, person_key)) WITHOUT ROWID");
                if (!hasBucketColumn(c)) {
                    s.execute("ALTER TABLE person_keys ADD COLUMN bucket INTEGER");
                }
                s.execute("CREATE INDEX IF NOT EXISTS person_keys_bucket ON person_keys (bucket)");
            } else {
                try {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                    s.execute("CREATE TABLE IF NOT EXISTS " + table + " (project_id BIGINT NOT NULL, person_key BYTEA NOT NULL, "
                            + "wrapped BYTEA NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (project_id, person_key))");
                    // why: the keys are random and never compared; statistics would only copy some into pg_statistic.
                    s.execute("ALTER TABLE " + table + " ALTER COLUMN wrapped SET STATISTICS 0");
                    s.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS bucket INTEGER");
                    s.execute("CREATE INDEX IF NOT EXISTS person_keys_bucket ON " + table + " (bucket)");
                } catch (SQLException e) {
                    // why: two instances starting at once race on IF NOT EXISTS (a unique violation on the catalog);
                    // the other one made it, which is all this needs.
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
        try {
            Database.inTransaction(dataSource, dialect, c -> {
                buckets.create(c);
                return null;
            });
        } catch (StoreException e) {
            // why: as above, an instance starting at the same time created the bucket table first; it fills it too
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
        }
    }

    private static boolean hasBucketColumn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('person_keys')")) {
            while (rs.next()) {
                if ("bucket".equals(rs.getString(1))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Keystores from before buckets wrapped each data key with the wrapping key itself: those keys are wrapped again
     * by their bucket's key, a thousand a transaction (a crash leaves the rest for the next start), then the keystore
     * is rebuilt once, so no copy wrapped the old way stays in its pages.
     */
    private void moveUnbucketedKeys() {
        int moved = 0;
        while (true) {
            int batch = Database.inTransaction(dataSource, dialect, c -> {
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT project_id, person_key, wrapped FROM " + table
                        + " WHERE bucket IS NULL LIMIT 1000"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getBytes(2), rs.getBytes(3)});
                    }
                }
                Map<Integer, DataKey> keys = buckets.keys(c, rows.stream().map(r -> KeyBuckets.of((byte[]) r[1])).toList(), true);
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET wrapped = ?, bucket = ? "
                        + "WHERE project_id = ? AND person_key = ?")) {
                    for (Object[] r : rows) {
                        long project = (Long) r[0];
                        byte[] personKey = (byte[]) r[1];
                        DataKey key = open(wrapping, project, personKey, (byte[]) r[2]);
                        int bucket = KeyBuckets.of(personKey);
                        ps.setBytes(1, key.wrap(keys.get(bucket), associated(project, personKey)));
                        ps.setInt(2, bucket);
                        ps.setLong(3, project);
                        ps.setBytes(4, personKey);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return rows.size();
            });
            moved += batch;
            if (batch == 0) {
                break;
            }
        }
        if (moved > 0) {
            rebuild(table);
        }
    }

    /** The keys these person keys have, by person key; a person key without one is absent. */
    public Map<ByteBuffer, DataKey> find(long projectId, Collection<byte[]> personKeys) {
        Map<ByteBuffer, DataKey> out = new HashMap<>();
        if (personKeys.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection()) {
            read(c, projectId, List.copyOf(personKeys), out);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        return out;
    }

    /** Like {@link #find}, making a key for each person key that has none (idempotent under races: the first one made wins). */
    public Map<ByteBuffer, DataKey> findOrCreate(long projectId, Collection<byte[]> personKeys, long now) {
        Map<ByteBuffer, DataKey> out = find(projectId, personKeys);
        // why: each person key once, or one statement would insert a key and hand out another made for its repeat
        Map<ByteBuffer, byte[]> unique = new java.util.LinkedHashMap<>();
        for (byte[] k : personKeys) {
            if (!out.containsKey(ByteBuffer.wrap(k))) {
                unique.putIfAbsent(ByteBuffer.wrap(k), k);
            }
        }
        List<byte[]> missing = new ArrayList<>(unique.values());
        if (missing.isEmpty()) {
            return out;
        }
        Database.inTransaction(dataSource, dialect, c -> {
            for (int start = 0; start < missing.size(); start += Sql.MAX_IN) {
                insertNew(c, projectId, missing.subList(start, Math.min(missing.size(), start + Sql.MAX_IN)), now, out);
            }
            return null;
        });
        return out;
    }

    /**
     * Inserts a new key for each person key, keeping those another writer inserted first: the statement returns
     * the rows it inserted, and only the others are read back. Reading back every key instead ran one query per
     * chunk against statistics that still described an empty table, a full scan each on PostgreSQL.
     */
    private void insertNew(Connection c, long projectId, List<byte[]> personKeys, long now, Map<ByteBuffer, DataKey> out)
            throws SQLException {
        Map<ByteBuffer, DataKey> made = new HashMap<>();
        Map<Integer, DataKey> bucketKeys = buckets.keys(c, personKeys.stream().map(KeyBuckets::of).toList(), true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (project_id, person_key, wrapped, created_at, bucket) VALUES "
                + String.join(", ", java.util.Collections.nCopies(personKeys.size(), "(?, ?, ?, ?, ?)"))
                + " ON CONFLICT (project_id, person_key) DO NOTHING RETURNING person_key")) {
            int i = 1;
            for (byte[] k : personKeys) {
                DataKey key = DataKey.generate();
                made.put(ByteBuffer.wrap(k), key);
                int bucket = KeyBuckets.of(k);
                ps.setLong(i++, projectId);
                ps.setBytes(i++, k);
                ps.setBytes(i++, key.wrap(bucketKeys.get(bucket), associated(projectId, k)));
                ps.setLong(i++, now);
                ps.setInt(i++, bucket);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ByteBuffer k = ByteBuffer.wrap(rs.getBytes(1));
                    out.put(k, made.get(k));
                }
            }
        }
        List<byte[]> lost = new ArrayList<>();
        for (byte[] k : personKeys) {
            if (!out.containsKey(ByteBuffer.wrap(k))) {
                lost.add(k);
            }
        }
        if (!lost.isEmpty()) {
            // why: read back, so a key another writer made first is the one used
            read(c, projectId, lost, out);
        }
    }

    private void read(Connection c, long projectId, List<byte[]> personKeys, Map<ByteBuffer, DataKey> out) throws SQLException {
        // why: one statement reads each data key with its bucket's key, so a re-key committing in between cannot pair
        // a data key with the other generation of its bucket key
        Map<ByteBuffer, DataKey> bucketKeys = new HashMap<>();
        for (List<byte[]> chunk : Sql.chunks(personKeys)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT p.person_key, p.wrapped, b.bucket, b.wrapped FROM " + table
                    + " p JOIN " + buckets.table() + " b ON b.bucket = p.bucket WHERE p.project_id = ? AND p.person_key IN ("
                    + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                int i = 2;
                for (byte[] k : chunk) {
                    ps.setBytes(i++, k);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] k = rs.getBytes(1);
                        int bucket = rs.getInt(3);
                        byte[] wrappedBucket = rs.getBytes(4);
                        DataKey bucketKey = bucketKeys.computeIfAbsent(ByteBuffer.wrap(wrappedBucket), w -> buckets.open(bucket, wrappedBucket));
                        out.put(ByteBuffer.wrap(k), open(bucketKey, projectId, k, rs.getBytes(2)));
                    }
                }
            }
        }
    }

    private static DataKey open(DataKey wrappedWith, long projectId, byte[] personKey, byte[] wrapped) {
        DataKey key = DataKey.unwrap(wrappedWith, associated(projectId, personKey), wrapped);
        if (key == null) {
            throw new IllegalStateException("the keystore's keys do not open with this instance key; start with "
                    + "the data directory (or a copy of its lethe.key) the keystore was created with");
        }
        return key;
    }

    /**
     * Destroys the keys of these person keys: what was sealed with them no longer opens. Each bucket that lost a key
     * gets a new key, its remaining data keys wrapped again under it, so every copy of a destroyed data key left in the
     * keystore's pages is wrapped by a bucket key that is gone. Returns how many keys went.
     */
    public int destroy(long projectId, Collection<byte[]> personKeys) {
        return Database.inTransaction(dataSource, dialect, c -> {
            Map<Integer, DataKey> old = buckets.lockForRekey(c, personKeys.stream().map(KeyBuckets::of).toList());
            java.util.Set<Integer> touched = new java.util.TreeSet<>();
            int destroyed = 0;
            for (List<byte[]> chunk : Sql.chunks(List.copyOf(personKeys))) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE project_id = ? AND person_key IN ("
                        + Sql.placeholders(chunk.size()) + ") RETURNING person_key")) {
                    ps.setLong(1, projectId);
                    int i = 2;
                    for (byte[] k : chunk) {
                        ps.setBytes(i++, k);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            touched.add(KeyBuckets.of(rs.getBytes(1)));
                            destroyed++;
                        }
                    }
                }
            }
            for (int bucket : touched) {
                rekey(c, bucket, old.get(bucket));
            }
            if (destroyed > 0 && kind == StoreKind.POSTGRES) {
                // why: the scrub waits until no snapshot or transaction older than this one is left
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
                    rs.next();
                    long xid = rs.getLong(1);
                    destroyedBefore.accumulateAndGet(xid, Math::max);
                }
            }
            return destroyed;
        });
    }

    /** Wraps a bucket's remaining data keys under a new bucket key, which then replaces the old one. */
    private void rekey(Connection c, int bucket, DataKey old) throws SQLException {
        DataKey next = DataKey.generate();
        List<Object[]> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT project_id, person_key, wrapped FROM " + table + " WHERE bucket = ?")) {
            ps.setInt(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new Object[] {rs.getLong(1), rs.getBytes(2), rs.getBytes(3)});
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET wrapped = ? WHERE project_id = ? AND person_key = ?")) {
            for (Object[] m : members) {
                long project = (Long) m[0];
                byte[] personKey = (byte[]) m[1];
                byte[] associated = associated(project, personKey);
                ps.setBytes(1, open(old, project, personKey, (byte[]) m[2]).wrap(next, associated));
                ps.setLong(2, project);
                ps.setBytes(3, personKey);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        buckets.replace(c, bucket, next);
    }

    /** How many of these person keys still have a key. */
    public int count(long projectId, Collection<byte[]> personKeys) {
        try (Connection c = dataSource.getConnection()) {
            return onKeys(c, projectId, personKeys, "SELECT COUNT(*) FROM " + table + " WHERE project_id = ? AND person_key IN (", false);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static int onKeys(Connection c, long projectId, Collection<byte[]> personKeys, String sqlUpToIn, boolean update)
            throws SQLException {
        List<byte[]> all = List.copyOf(personKeys);
        int total = 0;
        for (int start = 0; start < all.size(); start += Sql.MAX_IN) {
            List<byte[]> chunk = all.subList(start, Math.min(all.size(), start + Sql.MAX_IN));
            try (PreparedStatement ps = c.prepareStatement(sqlUpToIn + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                int i = 2;
                for (byte[] k : chunk) {
                    ps.setBytes(i++, k);
                }
                if (update) {
                    total += ps.executeUpdate();
                } else {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total += rs.getInt(1);
                    }
                }
            }
        }
        return total;
    }

    /**
     * Removes every copy of the bucket keys that destructions replaced from the keystore's files; the copies of
     * destroyed data keys may stay, since nothing left opens them. On SQLite a truncating WAL checkpoint: a re-key
     * overwrote the bucket row in place in its page, and the checkpoint writes that page over the old one in
     * {@code keys.db} and empties the WAL that held the old page. On PostgreSQL a VACUUM FULL of the bucket table
     * ({@value KeyBuckets#COUNT} rows), which writes the live rows to new files (a plain VACUUM frees a dead tuple's
     * line pointer but may leave its bytes in the page's free space). Either costs the same whatever the number of
     * people; the main store is never touched.
     */
    public void scrub() {
        try {
            // why: deletions finishing together share one scrub that starts after all their destructions; run side
            // by side, two checkpoints of one file got in each other's way (SQLITE_BUSY)
            scrubs.flushAfter(start -> {
                long covers = start.now();
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    if (kind == StoreKind.SQLITE) {
                        // why: this process's key writers wait their turn instead of keeping the checkpoint from
                        // reaching the end of the WAL
                        dialect.takeWriterTurn();
                        try {
                            checkpointSqlite(s);
                        } finally {
                            dialect.releaseWriterTurn();
                        }
                    } else {
                        waitForOlderSnapshots(c);
                        s.execute("VACUUM FULL " + buckets.table());
                    }
                }
                return covers;
            });
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Rebuilds a keystore table and, on SQLite, the whole file: after keys were wrapped the old way were moved
     * into buckets, so no copy wrapped with the wrapping key itself stays in a page.
     */
    private void rebuild(String tableName) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (kind == StoreKind.SQLITE) {
                dialect.takeWriterTurn();
                try {
                    s.execute("VACUUM");
                    checkpointSqlite(s);
                } finally {
                    dialect.releaseWriterTurn();
                }
            } else {
                s.execute("VACUUM FULL " + tableName);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Waits until no snapshot of the keystore's database is older than the last destruction and no transaction
     * of the cluster that started before it is still running: VACUUM FULL copies the rows such a snapshot could
     * still see, destroyed keys included (seen in tests: one idle-in-transaction session of another database
     * kept them). Throws if one outlasts the busy timeout.
     */
    private void waitForOlderSnapshots(Connection c) throws SQLException {
        long xid = destroyedBefore.get();
        if (xid == 0) {
            return;
        }
        long deadline = System.nanoTime() + snapshotWait.toNanos();
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                + "AND ((datname = current_database() AND age(backend_xmin) >= age(?::text::xid)) OR age(backend_xid) >= age(?::text::xid))")) {
            // why: a snapshot of this database holds the horizon back by its xmin; a transaction of ANY database that
            // is still running (it has an xid) does too, since VACUUM FULL's own snapshot counts it as running.
            ps.setString(1, Long.toString(xid & 0xFFFF_FFFFL));
            ps.setString(2, Long.toString(xid & 0xFFFF_FFFFL));
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("a snapshot older than the keys' destruction is still open; the keystore's "
                            + "VACUUM FULL would keep them");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for older snapshots", e);
                }
            }
        }
    }

    /**
     * Copies the keystore's WAL into keys.db and truncates it. A writer making a key runs SQLite's automatic
     * checkpoint after its commit, and a checkpoint meeting another one gives up at once (busy, no frames) instead of
     * waiting in the busy handler, so this tries again until the busy timeout.
     */
    private void checkpointSqlite(Statement s) throws SQLException {
        long deadline = System.nanoTime() + snapshotWait.toNanos();
        while (true) {
            try {
                SqliteDialect.checkpoint(s);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || e.getMessage() == null || !e.getMessage().contains("SQLITE_BUSY")) {
                    throw e;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while checkpointing the keystore", e);
            }
        }
    }

    /**
     * PostgreSQL: refreshes the planner's statistics of the keystore table. After a bulk fill (sealing an existing
     * store) they still describe the empty table until autovacuum gets to it, and the IN-list lookups of each batch
     * were then planned as full scans. SQLite plans them through the primary key whatever its statistics.
     */
    void refreshStatistics() {
        if (kind != StoreKind.POSTGRES) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The names of what {@link #destroy} does, for the erasure certificate: part of the deletion's final step. */
    public List<String> destroySteps() {
        return List.of("keystore_destroy", "key_bucket_rekey");
    }

    /** The names of what {@link #scrub} does after the deletion's SUCCESS, for the erasure certificate. */
    public List<String> scrubSteps() {
        return List.of(kind == StoreKind.SQLITE ? "keystore_wal_checkpoint_truncate" : "key_bucket_vacuum_full");
    }

    /** The wrapped key of a person key as stored, or null: for tests that look for its bytes in the keystore's pages. */
    byte[] wrapped(long projectId, byte[] personKey) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT wrapped FROM " + table + " WHERE project_id = ? AND person_key = ?")) {
            ps.setLong(1, projectId);
            ps.setBytes(2, personKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The bucket of a person key, and the stored value of that bucket's key: for tests, as {@link #wrapped}. */
    int bucketOf(byte[] personKey) {
        return KeyBuckets.of(personKey);
    }

    byte[] wrappedBucket(int bucket) {
        try (Connection c = dataSource.getConnection()) {
            return buckets.wrapped(c, bucket);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Every bucket key, opened: what an attacker holding the keystore and the instance key after a destruction has. */
    List<DataKey> bucketKeys() {
        try (Connection c = dataSource.getConnection()) {
            List<Integer> all = new ArrayList<>();
            for (int b = 0; b < KeyBuckets.COUNT; b++) {
                all.add(b);
            }
            return List.copyOf(buckets.keys(c, all, false).values());
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs a query on the keystore's own database, for tests (PostgreSQL's page inspection). */
    <T> T query(Database.SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(new Tx(c, null, null, this));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The keystore's file on SQLite (null on PostgreSQL). */
    public Path file() {
        return file;
    }

    static byte[] associated(long projectId, byte[] personKey) {
        return DataKey.associated("person-key", projectId, personKey);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
