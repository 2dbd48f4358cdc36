package dev.lethe.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.KeyRing;

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
 * wrapped with a key-encryption key of the data directory's {@link KeyRing} (KEK 0 is derived from the instance key,
 * {@link InstanceKey#wrappingKey}; {@link #rotateWrappingKey} moves every row to a new one); an identity cluster's content is sealed
 * with the keys of its ids, so merging clusters needs no re-keying, and erasing one destroys all its keys.
 * The keystore is small (about 100 bytes a person), so cleaning it after a destruction is cheap, while the
 * main store, where only ciphertext of the destroyed keys is left, needs no cleaning at all.
 */
public final class Keystore implements AutoCloseable {

    public static final String SQLITE_FILE = "keys.db";

    private final HikariDataSource dataSource;
    private final StoreKind kind;
    private final Dialect dialect;
    private final KeyRing keyring;
    private final KeystoreSchema schema;
    private final String table;
    private final Path file;
    private final KeystoreScrub scrub;

    /** The outcome of {@link #rotateWrappingKey}: the KEK every row is now wrapped with, and what it took. */
    public record Rotation(int kek, long rewrapped, List<Integer> retiredKeks, boolean finished) {
    }

    private Keystore(HikariDataSource dataSource, Dialect dialect, KeyRing keyring, Path file, java.time.Duration snapshotWait) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.kind = dialect.kind();
        this.keyring = keyring;
        this.schema = new KeystoreSchema(kind);
        this.table = schema.keys;
        this.file = file;
        this.scrub = new KeystoreScrub(dataSource, dialect, table, snapshotWait);
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
        Keystore keystore = new Keystore(ds, dialect, KeyRing.of(config.dataDir(), instanceKey), file, config.busyTimeout());
        try {
            keystore.createSchema();
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
        if (kind == StoreKind.SQLITE) {
            // why: in one write transaction, so two processes opening an old keys.db do not both add the kek column
            Database.inTransaction(dataSource, dialect, c -> {
                schema.create(c);
                return null;
            });
        } else {
            // why: statement by statement, so one that another starting instance raced (and won) fails alone
            try (Connection c = dataSource.getConnection()) {
                schema.create(c);
            }
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
            // why: read in the transaction that inserts, so a rotation's change of the current KEK and these
            // inserts are ordered (KeystoreSchema#currentKekForWrite): none is wrapped with a KEK it moved away from
            int kekId = schema.currentKekForWrite(c, dialect);
            DataKey kek = keyring.kek(kekId);
            if (kek == null) {
                throw new IllegalStateException("the keystore's current KEK " + kekId + " is not in " + KeyRing.FILE
                        + "; start with the data directory the keystore was rotated with");
            }
            for (int start = 0; start < missing.size(); start += Sql.MAX_IN) {
                insertNew(c, projectId, missing.subList(start, Math.min(missing.size(), start + Sql.MAX_IN)), now, kekId, kek, out);
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
    private void insertNew(Connection c, long projectId, List<byte[]> personKeys, long now, int kekId, DataKey kek,
                           Map<ByteBuffer, DataKey> out) throws SQLException {
        Map<ByteBuffer, DataKey> made = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (project_id, person_key, wrapped, created_at, kek) VALUES "
                + String.join(", ", java.util.Collections.nCopies(personKeys.size(), "(?, ?, ?, ?, ?)"))
                + " ON CONFLICT (project_id, person_key) DO NOTHING RETURNING person_key")) {
            int i = 1;
            for (byte[] k : personKeys) {
                DataKey key = DataKey.generate();
                made.put(ByteBuffer.wrap(k), key);
                ps.setLong(i++, projectId);
                ps.setBytes(i++, k);
                ps.setBytes(i++, key.wrap(kek, associated(projectId, k)));
                ps.setLong(i++, now);
                ps.setInt(i++, kekId);
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
        List<byte[]> underGoneKeks = readOnce(c, projectId, personKeys, out);
        if (underGoneKeks.isEmpty()) {
            return;
        }
        // why: a rotation may have rewrapped these rows and removed their old KEK from the keyring between this
        // read's snapshot and the unwrap; read as they are now, they are under the new KEK
        if (!readOnce(c, projectId, underGoneKeks, out).isEmpty()) {
            throw new IllegalStateException("the keystore's keys are wrapped by a KEK that " + KeyRing.FILE + " does not hold; "
                    + "start with the data directory (its lethe.key and " + KeyRing.FILE + ") the keystore was last rotated with");
        }
    }

    /** Reads and unwraps these person keys' keys into {@code out}; returns those whose KEK the keyring does not hold. */
    private List<byte[]> readOnce(Connection c, long projectId, List<byte[]> personKeys, Map<ByteBuffer, DataKey> out)
            throws SQLException {
        List<byte[]> underGoneKeks = new ArrayList<>();
        for (int start = 0; start < personKeys.size(); start += Sql.MAX_IN) {
            List<byte[]> chunk = personKeys.subList(start, Math.min(personKeys.size(), start + Sql.MAX_IN));
            try (PreparedStatement ps = c.prepareStatement("SELECT person_key, wrapped, kek FROM " + table
                    + " WHERE project_id = ? AND person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                int i = 2;
                for (byte[] k : chunk) {
                    ps.setBytes(i++, k);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] k = rs.getBytes(1);
                        DataKey kek = keyring.kek(rs.getInt(3));
                        if (kek == null) {
                            underGoneKeks.add(k);
                            continue;
                        }
                        out.put(ByteBuffer.wrap(k), unwrap(kek, projectId, k, rs.getBytes(2)));
                    }
                }
            }
        }
        return underGoneKeks;
    }

    /** The data key a row holds, which must open with its KEK. */
    static DataKey unwrap(DataKey kek, long projectId, byte[] personKey, byte[] wrapped) {
        DataKey key = DataKey.unwrap(kek, associated(projectId, personKey), wrapped);
        if (key == null) {
            throw new IllegalStateException("the keystore's keys do not open with this data directory's keys; start with "
                    + "the data directory (or a copy of its lethe.key and " + KeyRing.FILE + ") the keystore was created with");
        }
        return key;
    }

    /** A data key wrapped with this KEK for its row. */
    static byte[] wrap(DataKey key, DataKey kek, long projectId, byte[] personKey) {
        return key.wrap(kek, associated(projectId, personKey));
    }

    /** Destroys the keys of these person keys: what was sealed with them no longer opens. Returns how many went. */
    public int destroy(long projectId, Collection<byte[]> personKeys) {
        return Database.inTransaction(dataSource, dialect, c -> {
            int destroyed = onKeys(c, projectId, personKeys, "DELETE FROM " + table + " WHERE project_id = ? AND person_key IN (", true);
            if (destroyed > 0) {
                scrub.leftOldCopies(c);
            }
            return destroyed;
        });
    }

    /**
     * Wraps every key with a new KEK and removes the older KEKs from the keyring, so a copy of the keystore taken
     * before no longer opens with the data directory's keys, nor one taken after with the old keyring. A rotation
     * that stopped part-way (a crash) is finished by the next call instead of starting another; see
     * {@link KeystoreRotation}. Ends with the keystore's {@link #scrub}, so the rows' old wrapped values do not
     * linger in its pages.
     */
    public Rotation rotateWrappingKey() {
        return rotateWrappingKey(KeystoreRotation.BATCH, Integer.MAX_VALUE);
    }

    /** Like {@link #rotateWrappingKey()}; stops after {@code maxBatches} batches of rewrapping, as a crash would (tests). */
    Rotation rotateWrappingKey(int batchSize, int maxBatches) {
        Rotation rotation = new KeystoreRotation(this, schema, keyring, scrub).run(batchSize, maxBatches);
        if (rotation.finished()) {
            scrub();
        }
        return rotation;
    }

    /** Runs work in one transaction of the keystore's database, with its dialect's writer turn. */
    <T> T inTransaction(Database.ConnectionWork<T> work) {
        return Database.inTransaction(dataSource, dialect, work);
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

    /**
     * Removes every copy of destroyed (or rewrapped) keys from the keystore's files; see {@link KeystoreScrub}.
     * Deletions finishing together share one.
     */
    public void scrub() {
        scrub.run();
    }

    /** The names of what {@link #scrub} does, for the erasure certificate. */
    public List<String> scrubSteps() {
        return scrub.steps();
    }

    /** How many rows each KEK wraps, by KEK id (tests). */
    Map<Integer, Long> rowsByKek() {
        Map<Integer, Long> rows = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kek, COUNT(*) FROM " + table + " GROUP BY kek")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        return rows;
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

    /** What binds a wrapped key to its row: the project and the person key. */
    static byte[] associated(long projectId, byte[] personKey) {
        return DataKey.associated("person-key", projectId, personKey);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
