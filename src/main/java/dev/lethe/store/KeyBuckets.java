package dev.lethe.store;

import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.KeyRing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keystore's {@value #COUNT} bucket keys, the middle layer between the keyring's KEKs and the persons' data keys:
 * each data key is wrapped by the key of its bucket (fixed by its person key), each bucket key by a KEK. A destruction
 * deletes the person's row and re-keys its bucket: the bucket's other data keys are wrapped again under a new bucket
 * key, which overwrites the old one in place. Every copy of the destroyed data key the keystore's pages may still hold
 * (moved cells, dead tuples, free space) is then wrapped by a bucket key that no longer exists, so the scrub only has
 * to clean the bucket table: {@value #COUNT} rows whatever the number of people, where rebuilding the whole keystore
 * cost in proportion to everyone. A KEK rotation rewraps these rows only.
 */
final class KeyBuckets {

    /** why: a re-key wraps again about people / COUNT data keys, and the table a scrub cleans is COUNT rows. */
    static final int COUNT = 4096;

    private final String table;
    private final Dialect dialect;
    private final KeyRing keyring;

    KeyBuckets(String table, Dialect dialect, KeyRing keyring) {
        this.table = table;
        this.dialect = dialect;
        this.keyring = keyring;
    }

    /** A bucket's key as stored: the KEK that wraps it and the wrapped bytes. */
    record Stored(int bucket, int kek, byte[] wrapped) {
    }

    /** The bucket of a person key: its first 12 bits (person keys are keyed hashes, so buckets fill evenly). */
    static int of(byte[] personKey) {
        return (((personKey[0] & 0xff) << 8) | (personKey[1] & 0xff)) & (COUNT - 1);
    }

    /**
     * Gives every bucket its key at once, wrapped by this KEK, unless the table is full already (then returns false). The rows are
     * never inserted or deleted afterwards, only overwritten with a value of the same size, so SQLite rewrites a
     * re-keyed row in place and no page split ever leaves a copy of an old bucket key behind.
     */
    boolean fill(Connection c, int kekId) throws SQLException {
        if (full(c)) {
            return false;
        }
        DataKey kek = kek(kekId);
        for (int start = 0; start < COUNT; start += Sql.MAX_IN) {
            int n = Math.min(Sql.MAX_IN, COUNT - start);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (bucket, kek, wrapped) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?)")) + " ON CONFLICT (bucket) DO NOTHING")) {
                int i = 1;
                for (int bucket = start; bucket < start + n; bucket++) {
                    ps.setInt(i++, bucket);
                    ps.setInt(i++, kekId);
                    ps.setBytes(i++, DataKey.generate().wrap(kek, associated(bucket)));
                }
                ps.executeUpdate();
            }
        }
        return true;
    }

    /** Whether every bucket has its key. */
    boolean full(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1) == COUNT;
        }
    }

    /**
     * The keys of these buckets, for a transaction that wraps new data keys with them: share-locked on PostgreSQL, so
     * a re-key waits for the writer and a writer after a re-key reads the new key; SQLite's single writer orders them.
     */
    Map<Integer, DataKey> forWrapping(Connection c, Collection<Integer> buckets) throws SQLException {
        return open(select(c, buckets, dialect.forShare()));
    }

    /**
     * Locks these buckets for a re-key or a rewrap (PostgreSQL: in bucket order, so two destructions never wait on
     * each other in a circle) and returns them as stored.
     */
    Map<Integer, Stored> lock(Connection c, Collection<Integer> buckets) throws SQLException {
        return select(c, buckets, dialect.forUpdate());
    }

    /** All buckets as stored, without locks (tests, and counting what a rotation has left). */
    Map<Integer, Stored> all(Connection c) throws SQLException {
        Map<Integer, Stored> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT bucket, kek, wrapped FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getInt(1), new Stored(rs.getInt(1), rs.getInt(2), rs.getBytes(3)));
            }
        }
        return out;
    }

    private Map<Integer, Stored> select(Connection c, Collection<Integer> buckets, String lock) throws SQLException {
        Map<Integer, Stored> out = new HashMap<>();
        for (List<Integer> chunk : Sql.chunks(new TreeSet<>(buckets))) {
            try (PreparedStatement ps = c.prepareStatement("SELECT bucket, kek, wrapped FROM " + table + " WHERE bucket IN ("
                    + Sql.placeholders(chunk.size()) + ") ORDER BY bucket" + lock)) {
                int i = 1;
                for (int b : chunk) {
                    ps.setInt(i++, b);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), new Stored(rs.getInt(1), rs.getInt(2), rs.getBytes(3)));
                    }
                }
            }
        }
        return out;
    }

    private Map<Integer, DataKey> open(Map<Integer, Stored> stored) {
        Map<Integer, DataKey> out = new HashMap<>();
        for (Stored s : stored.values()) {
            out.put(s.bucket(), open(s));
        }
        return out;
    }

    /** The key of a bucket from its stored row, which must open with the KEK it names. */
    DataKey open(Stored stored) {
        return open(stored, kek(stored.kek()));
    }

    /**
     * Like {@link #open}, or null when the keyring does not hold the KEK the row names (any more): a rotation retired it
     * after the row was read, and reading the row again gives it under the new one.
     */
    DataKey openIfHeld(Stored stored) {
        DataKey kek = keyring.kek(stored.kek());
        return kek == null ? null : open(stored, kek);
    }

    private static DataKey open(Stored stored, DataKey kek) {
        return Keystore.opened(DataKey.unwrap(kek, associated(stored.bucket()), stored.wrapped()));
    }

    /**
     * Stores a bucket's key wrapped by this KEK. Under the KEK it had, the value has the old one's size, so SQLite
     * overwrites it in place.
     */
    void replace(Connection c, int bucket, DataKey key, int kekId) throws SQLException {
        replace(c, Map.of(bucket, key), Map.of(bucket, kekId));
    }

    /** Like {@link #replace(Connection, int, DataKey, int)} for many buckets, in one batch: their keys and KEKs by bucket. */
    void replace(Connection c, Map<Integer, DataKey> keys, Map<Integer, Integer> keks) throws SQLException {
        List<Integer> order = new java.util.ArrayList<>(new TreeSet<>(keys.keySet()));
        // why: one statement for a destruction's buckets (one a destroyed key), not one execution a bucket
        for (List<Integer> chunk : Sql.chunks(order)) {
            try (PreparedStatement ps = c.prepareStatement(
                    Sql.updateByKey(table, "bucket", List.of("wrapped", "kek"), chunk.size()))) {
                int i = 1;
                for (int bucket : chunk) {
                    ps.setInt(i++, bucket);
                    ps.setBytes(i++, keys.get(bucket).wrap(kek(keks.get(bucket)), associated(bucket)));
                }
                for (int bucket : chunk) {
                    ps.setInt(i++, bucket);
                    ps.setInt(i++, keks.get(bucket));
                }
                for (int bucket : chunk) {
                    ps.setInt(i++, bucket);
                }
                int updated = ps.executeUpdate();
                if (updated != chunk.size()) {
                    throw new IllegalStateException("the keystore has " + updated + " of the buckets " + chunk);
                }
            }
        }
    }

    private DataKey kek(int id) {
        DataKey kek = keyring.kek(id);
        if (kek == null) {
            throw new IllegalStateException("the keystore's bucket keys are wrapped by KEK " + id + ", which " + KeyRing.FILE
                    + " does not hold; start with the data directory (its lethe.key and " + KeyRing.FILE
                    + ") the keystore was last rotated with");
        }
        return kek;
    }

    private static byte[] associated(int bucket) {
        return DataKey.associated("key-bucket", bucket, new byte[0]);
    }
}
