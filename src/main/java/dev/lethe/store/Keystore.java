package dev.lethe.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.KeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * unless {@code --keystore-jdbc-url} names another). One key per person key ({@link IndexKeys#person}), wrapped
 * with the key of its sub-bucket ({@link KeySubBuckets}), which the key of its bucket ({@link KeyBuckets}) wraps, which
 * a key-encryption key of the data directory's {@link KeyRing} wraps (KEK 0 is derived from the instance key,
 * {@link InstanceKey#wrappingKey}; {@link #rotateWrappingKey} moves every bucket to a new one). An identity cluster's
 * content is sealed with the keys of its ids, so merging clusters needs no re-keying, and erasing one destroys all its
 * keys. A destruction re-keys the sub-buckets and buckets it touched, so cleaning up after it means cleaning the bucket
 * table only, whatever the number of people; the main store, where only ciphertext of the destroyed keys is left,
 * needs no cleaning at all.
 */
public final class Keystore implements AutoCloseable {

    public static final String SQLITE_FILE = "keys.db";
    private static final Logger log = LoggerFactory.getLogger(Keystore.class);

    private final HikariDataSource dataSource;
    private final StoreKind kind;
    private final Dialect dialect;
    private final KeyRing keyring;
    private final KeystoreSchema schema;
    private final KeyBuckets buckets;
    private final KeySubBuckets subBuckets;
    private final OpenedKeys recent = new OpenedKeys();
    private final KeyRekey rekey;
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
        this.buckets = new KeyBuckets(schema.buckets, dialect, keyring);
        this.subBuckets = new KeySubBuckets(schema.subBuckets);
        this.rekey = new KeyRekey(table, buckets, subBuckets, recent);
        this.file = file;
        this.scrub = new KeystoreScrub(dataSource, dialect, schema, snapshotWait);
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
        if (kind == StoreKind.SQLITE) {
            // why: in one write transaction, so two processes opening an old keys.db do not both add the bucket column
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
        try (Connection c = dataSource.getConnection()) {
            if (buckets.full(c)) {
                // why: every start but the first; no write transaction (on SQLite, no wait for the writer turn) for it
                return;
            }
        }
        Database.inTransaction(dataSource, dialect, c -> {
            // why: a keystore made after the data directory's KEK was rotated (moved to a new database, say)
            // starts under the keyring's newest KEK; its new meta row says KEK 0, which the keyring may have retired
            int current = schema.currentKek(c);
            int kek = Math.max(current, keyring.newest());
            if (buckets.fill(c, kek) && kek != current) {
                schema.setCurrentKek(c, kek);
            }
            return null;
        });
    }

    /**
     * Keystores from before buckets wrapped each data key with KEK 0 itself: those keys are wrapped again by their
     * sub-bucket's key, a thousand a transaction (a crash leaves the rest for the next start), then the keystore is rebuilt
     * once, so no copy wrapped the old way stays in its pages.
     */
    private void moveUnbucketedKeys() throws SQLException {
        record Row(long projectId, byte[] personKey, byte[] wrapped) {
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " WHERE bucket IS NULL LIMIT 1")) {
            if (!rs.next()) {
                // why: every start of a keystore made with buckets; no write transaction for it
                return;
            }
        }
        long moved = 0;
        while (true) {
            int batch = Database.inTransaction(dataSource, dialect, c -> {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT project_id, person_key, wrapped FROM " + table
                        + " WHERE bucket IS NULL LIMIT 1000" + dialect.forUpdate()); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                    }
                }
                if (rows.isEmpty()) {
                    return 0;
                }
                DataKey kek0 = keyring.kek(KeyRing.DERIVED);
                if (kek0 == null) {
                    throw new IllegalStateException("the keystore holds keys from before buckets, wrapped by KEK 0, which "
                            + KeyRing.FILE + " has retired");
                }
                Map<Integer, DataKey> bucketKeys = buckets.forWrapping(c, rows.stream().map(r -> KeyBuckets.of(r.personKey())).toList());
                Map<Integer, DataKey> subKeys = subBuckets.forWrapping(c, rows.stream().map(r -> KeySubBuckets.of(r.personKey())).toList(),
                        bucketKeys);
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET wrapped = ?, bucket = ?, sub = ? "
                        + "WHERE project_id = ? AND person_key = ?")) {
                    for (Row r : rows) {
                        int sub = KeySubBuckets.of(r.personKey());
                        DataKey key = unwrap(kek0, r.projectId(), r.personKey(), r.wrapped());
                        ps.setBytes(1, wrap(key, subKeys.get(sub), r.projectId(), r.personKey()));
                        ps.setInt(2, KeyBuckets.of(r.personKey()));
                        ps.setInt(3, sub);
                        ps.setLong(4, r.projectId());
                        ps.setBytes(5, r.personKey());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                scrub.leftOldCopies(c);
                return rows.size();
            });
            if (batch == 0) {
                break;
            }
            moved += batch;
            log.info("moved {} keys of the keystore into buckets", moved);
        }
        if (moved > 0) {
            scrub.rebuild();
            log.info("the keystore's keys are all in buckets; its files are rebuilt");
        }
    }

    /** The keys these person keys have, by person key; a person key without one is absent. */
    public Map<ByteBuffer, DataKey> find(long projectId, Collection<byte[]> personKeys) {
        return find(projectId, personKeys, null);
    }

    /**
     * Like {@link #find}, reusing the keys a reader already unwrapped: {@code opened} maps a row (its person key and
     * wrapped key, as stored) to the key it opened to, and gains the keys this read unwraps. Every row is still read, so a key
     * destroyed since is absent; a row wrapped anew (its sub-bucket re-keyed, or the person's key made again) does not
     * match and is unwrapped again. Null uses the keys this keystore opened lately ({@link OpenedKeys}).
     */
    public Map<ByteBuffer, DataKey> find(long projectId, Collection<byte[]> personKeys, Map<ByteBuffer, DataKey> opened) {
        Map<ByteBuffer, DataKey> out = new HashMap<>();
        if (personKeys.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection()) {
            read(c, projectId, List.copyOf(personKeys), out, opened == null ? recent.current() : opened);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
        return out;
    }

    /**
     * How many destructions of the project's keys have committed ({@link #destroy}): while it is unchanged, every key
     * a reader found since it last read this is still in the keystore.
     */
    public long destructions(long projectId) {
        try (Connection c = dataSource.getConnection()) {
            return schema.destructionCount(c, projectId);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
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
            // why: read in the transaction that inserts, so a destruction's re-key of a bucket and these inserts are
            // ordered: none is wrapped with a bucket key a re-key has replaced
            Map<Integer, DataKey> bucketKeys = buckets.forWrapping(c, missing.stream().map(KeyBuckets::of).toList());
            Map<Integer, DataKey> subKeys = subBuckets.forWrapping(c, missing.stream().map(KeySubBuckets::of).toList(), bucketKeys);
            for (List<byte[]> chunk : Sql.chunks(missing)) {
                insertNew(c, projectId, chunk, now, subKeys, out);
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
    private void insertNew(Connection c, long projectId, List<byte[]> personKeys, long now, Map<Integer, DataKey> subKeys,
                           Map<ByteBuffer, DataKey> out) throws SQLException {
        Map<ByteBuffer, DataKey> made = new HashMap<>();
        Map<ByteBuffer, byte[]> wrappedMade = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (project_id, person_key, wrapped, created_at, bucket, sub) "
                + "VALUES " + String.join(", ", java.util.Collections.nCopies(personKeys.size(), "(?, ?, ?, ?, ?, ?)"))
                + " ON CONFLICT (project_id, person_key) DO NOTHING RETURNING person_key")) {
            int i = 1;
            for (byte[] k : personKeys) {
                DataKey key = DataKey.generate();
                made.put(ByteBuffer.wrap(k), key);
                ps.setLong(i++, projectId);
                ps.setBytes(i++, k);
                int sub = KeySubBuckets.of(k);
                byte[] wrapped = wrap(key, subKeys.get(sub), projectId, k);
                wrappedMade.put(ByteBuffer.wrap(k), wrapped);
                ps.setBytes(i++, wrapped);
                ps.setLong(i++, now);
                ps.setInt(i++, KeyBuckets.of(k));
                ps.setInt(i++, sub);
            }
            Map<ByteBuffer, DataKey> opened = recent.current();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] personKey = rs.getBytes(1);
                    ByteBuffer k = ByteBuffer.wrap(personKey);
                    out.put(k, made.get(k));
                    opened.put(OpenedKeys.row(personKey, wrappedMade.get(k)), made.get(k));
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
            read(c, projectId, lost, out, recent.current());
        }
    }

    private void read(Connection c, long projectId, List<byte[]> personKeys, Map<ByteBuffer, DataKey> out,
                      Map<ByteBuffer, DataKey> opened) throws SQLException {
        List<byte[]> underGoneKeks = readOnce(c, projectId, personKeys, out, opened);
        if (underGoneKeks.isEmpty()) {
            return;
        }
        // why: a rotation may have rewrapped these rows' buckets and removed their old KEK from the keyring between
        // this read's snapshot and the unwrap; read as they are now, they are under the new KEK
        if (!readOnce(c, projectId, underGoneKeks, out, opened).isEmpty()) {
            throw new IllegalStateException("the keystore's keys are wrapped by a KEK that " + KeyRing.FILE + " does not hold; "
                    + "start with the data directory (its lethe.key and " + KeyRing.FILE + ") the keystore was last rotated with");
        }
    }

    /**
     * Reads these person keys' keys into {@code out}: each row found as {@code opened} holds it gives the key opened
     * then; the others are unwrapped (and added to it) with their sub-bucket's and bucket's keys read by the same
     * statement (so a re-key committing in between cannot pair a data key with another generation of the keys that
     * wrap it). Returns those whose bucket's KEK the keyring does not hold.
     */
    private List<byte[]> readOnce(Connection c, long projectId, List<byte[]> personKeys, Map<ByteBuffer, DataKey> out,
                                  Map<ByteBuffer, DataKey> opened) throws SQLException {
        List<byte[]> underGoneKeks = new ArrayList<>();
        // why: each bucket and sub-bucket key opened once a read, not once a row; a bucket's absent where its KEK is gone
        Map<ByteBuffer, java.util.Optional<DataKey>> bucketKeys = new HashMap<>();
        Map<ByteBuffer, DataKey> subKeys = new HashMap<>();
        for (List<byte[]> chunk : Sql.chunks(personKeys)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT p.person_key, p.wrapped, b.bucket, b.kek, b.wrapped, p.sub, s.wrapped "
                    + "FROM " + table + " p JOIN " + schema.buckets + " b ON b.bucket = p.bucket LEFT JOIN " + schema.subBuckets
                    + " s ON s.sub = p.sub WHERE p.project_id = ? AND p.person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                bindKeys(ps, projectId, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] k = rs.getBytes(1);
                        byte[] wrapped = rs.getBytes(2);
                        ByteBuffer row = OpenedKeys.row(k, wrapped);
                        DataKey known = opened.get(row);
                        if (known != null) {
                            out.put(ByteBuffer.wrap(k), known);
                            continue;
                        }
                        KeyBuckets.Stored bucket = new KeyBuckets.Stored(rs.getInt(3), rs.getInt(4), rs.getBytes(5));
                        java.util.Optional<DataKey> bucketKey = bucketKeys.computeIfAbsent(ByteBuffer.wrap(bucket.wrapped()),
                                w -> java.util.Optional.ofNullable(buckets.openIfHeld(bucket)));
                        if (bucketKey.isEmpty()) {
                            underGoneKeks.add(k);
                        } else {
                            DataKey key = unwrap(wrappingKey(rs, bucketKey.get(), subKeys), projectId, k, wrapped);
                            out.put(ByteBuffer.wrap(k), key);
                            opened.put(row, key);
                        }
                    }
                }
            }
        }
        return underGoneKeks;
    }

    /**
     * The key that wraps the data key of the row {@code rs} is on: its sub-bucket's (columns 6 and 7), opened with its
     * bucket's and kept in {@code subKeys} by its stored value, or the bucket's own for a row from before sub-buckets.
     */
    private static DataKey wrappingKey(ResultSet rs, DataKey bucketKey, Map<ByteBuffer, DataKey> subKeys) throws SQLException {
        int sub = rs.getInt(6);
        if (rs.wasNull()) {
            return bucketKey;
        }
        byte[] wrapped = rs.getBytes(7);
        if (wrapped == null) {
            throw new IllegalStateException("the keystore has no key for sub-bucket " + sub + ", which a person's key names");
        }
        return subKeys.computeIfAbsent(ByteBuffer.wrap(wrapped), w -> KeySubBuckets.open(bucketKey, sub, wrapped));
    }

    /** The data key a row holds, which must open with the key that wrapped it (its sub-bucket's or bucket's, or KEK 0 before buckets). */
    static DataKey unwrap(DataKey wrappedWith, long projectId, byte[] personKey, byte[] wrapped) {
        return opened(DataKey.unwrap(wrappedWith, associated(projectId, personKey), wrapped));
    }

    /** What a row holds, unwrapped with {@code from}'s key ({@link DataKey#rewrap}) and wrapped under {@code to}. */
    static byte[] rewrap(DataKey from, DataKey to, long projectId, byte[] personKey, byte[] wrapped) {
        return opened(DataKey.rewrap(from, to, associated(projectId, personKey), wrapped));
    }

    /** What opened; throws when nothing did: the data directory's keys are not the keystore's (its bucket keys' too). */
    static <T> T opened(T key) {
        if (key == null) {
            throw new IllegalStateException("the keystore's keys do not open with this data directory's keys; start with "
                    + "the data directory (or a copy of its lethe.key and " + KeyRing.FILE + ") the keystore was created with");
        }
        return key;
    }

    /** A data key wrapped for its row with its bucket's key. */
    static byte[] wrap(DataKey key, DataKey bucketKey, long projectId, byte[] personKey) {
        return key.wrap(bucketKey, associated(projectId, personKey));
    }

    /**
     * Destroys the keys of these person keys: what was sealed with them no longer opens. Each sub-bucket that lost a key
     * gets a new key, its remaining data keys wrapped again under it, and so does each bucket that holds one, its
     * sub-bucket keys wrapped again: every copy of a destroyed data key left in the keystore's pages is wrapped by a
     * sub-bucket key whose every copy is wrapped by a bucket key that is gone. Returns how many keys went.
     */
    public int destroy(long projectId, Collection<byte[]> personKeys) {
        return Database.inTransaction(dataSource, dialect, c -> {
            Map<Integer, KeyBuckets.Stored> locked = buckets.lock(c, personKeys.stream().map(KeyBuckets::of).toList());
            // why: by bucket, the sub-buckets that lost a key (none for a key from before sub-buckets)
            java.util.SortedMap<Integer, java.util.Set<Integer>> touched = new java.util.TreeMap<>();
            int destroyed = 0;
            for (List<byte[]> chunk : Sql.chunks(List.copyOf(personKeys))) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE project_id = ? AND person_key IN ("
                        + Sql.placeholders(chunk.size()) + ") RETURNING person_key, sub, wrapped")) {
                    bindKeys(ps, projectId, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            java.util.Set<Integer> subs = touched.computeIfAbsent(KeyBuckets.of(rs.getBytes(1)), b -> new java.util.TreeSet<>());
                            int sub = rs.getInt(2);
                            if (!rs.wasNull()) {
                                subs.add(sub);
                            }
                            recent.forget(rs.getBytes(1), rs.getBytes(3));
                            destroyed++;
                        }
                    }
                }
            }
            if (!touched.isEmpty()) {
                rekey.run(c, locked, touched);
            }
            if (destroyed > 0) {
                scrub.leftOldCopies(c);
                schema.countDestruction(c, projectId);
            }
            return destroyed;
        });
    }

    /**
     * Wraps every bucket key with a new KEK and removes the older KEKs from the keyring, so a copy of the keystore
     * taken before no longer opens with the data directory's keys, nor one taken after with the old keyring. A rotation
     * that stopped part-way (a crash) is finished by the next call instead of starting another; see
     * {@link KeystoreRotation}. Ends with the keystore's {@link #scrub}, so the rows' old wrapped values do not
     * linger in its pages.
     */
    public Rotation rotateWrappingKey() {
        return rotateWrappingKey(KeystoreRotation.BATCH, Integer.MAX_VALUE);
    }

    /** Like {@link #rotateWrappingKey()}; stops after {@code maxBatches} batches of rewrapping, as a crash would (tests). */
    Rotation rotateWrappingKey(int batchSize, int maxBatches) {
        Rotation rotation = new KeystoreRotation(this, schema, buckets, keyring, scrub).run(batchSize, maxBatches);
        if (rotation.finished()) {
            // why: a bucket row that changed KEK may have changed size, hence place, in its page
            scrub.rebuild();
        }
        return rotation;
    }

    /** Runs work in one transaction of the keystore's database, with its dialect's writer turn. */
    <T> T inTransaction(Database.ConnectionWork<T> work) {
        return Database.inTransaction(dataSource, dialect, work);
    }

    /** How many of these person keys still have a key. */
    public int count(long projectId, Collection<byte[]> personKeys) {
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            for (List<byte[]> chunk : Sql.chunks(List.copyOf(personKeys))) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE project_id = ? "
                        + "AND person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    bindKeys(ps, projectId, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total += rs.getInt(1);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
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

    /** The names of what {@link #destroy} does, for the erasure certificate: part of the deletion's final step. */
    public List<String> destroySteps() {
        return List.of("keystore_destroy", "key_bucket_rekey");
    }

    /** The names of what {@link #scrub} does after the deletion's SUCCESS, for the erasure certificate. */
    public List<String> scrubSteps() {
        return scrub.steps();
    }

    /** Every bucket's key as stored, by bucket (tests). */
    Map<Integer, KeyBuckets.Stored> storedBuckets() {
        try (Connection c = dataSource.getConnection()) {
            return buckets.all(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Every bucket key, opened: what someone holding the keystore and the data directory's keys has (tests). */
    List<DataKey> bucketKeys() {
        return storedBuckets().values().stream().map(buckets::open).toList();
    }

    /** Every sub-bucket's key as stored, wrapped by its bucket's key, by sub-bucket (tests). */
    Map<Integer, byte[]> storedSubBuckets() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sub, wrapped FROM " + schema.subBuckets)) {
            Map<Integer, byte[]> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getBytes(2));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Every sub-bucket key, opened with its bucket's current key, by sub-bucket (tests). */
    Map<Integer, DataKey> subBucketKeys() {
        Map<Integer, KeyBuckets.Stored> stored = storedBuckets();
        Map<Integer, DataKey> out = new HashMap<>();
        storedSubBuckets().forEach((sub, wrapped) -> out.put(sub,
                KeySubBuckets.open(buckets.open(stored.get(KeySubBuckets.bucketOf(sub))), sub, wrapped)));
        return out;
    }

    /** A bucket's current key, opened (tests). */
    DataKey bucketKey(int bucket) {
        try (Connection c = dataSource.getConnection()) {
            return buckets.forWrapping(c, List.of(bucket)).get(bucket);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
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
            return work.run(new Tx(c, dialect, null, this));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The keystore's file on SQLite (null on PostgreSQL). */
    public Path file() {
        return file;
    }

    /** Binds a statement's project (first parameter) and its IN-list of person keys (the next ones). */
    private static void bindKeys(PreparedStatement ps, long projectId, List<byte[]> personKeys) throws SQLException {
        ps.setLong(1, projectId);
        int i = 2;
        for (byte[] k : personKeys) {
            ps.setBytes(i++, k);
        }
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
