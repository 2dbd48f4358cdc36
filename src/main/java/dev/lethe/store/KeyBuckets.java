package dev.lethe.store;

import dev.lethe.crypto.DataKey;

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
import java.util.TreeSet;

/**
 * The keystore's {@value #COUNT} bucket keys, the middle layer between the instance's wrapping key and the persons'
 * data keys: each data key is wrapped by the key of its bucket (fixed by its person key), each bucket key by the
 * wrapping key. A destruction deletes the person's row and re-keys its bucket: the bucket's other data keys are
 * wrapped again under a new bucket key, which overwrites the old one in place. Every copy of the destroyed data key
 * the keystore's pages may still hold (moved cells, dead tuples, free space) is then wrapped by a bucket key that no
 * longer exists, so the scrub only has to clean the bucket table: {@value #COUNT} rows whatever the number of
 * people, where rebuilding the whole keystore cost in proportion to everyone.
 */
final class KeyBuckets {

    /** why: a re-key wraps again about people / COUNT data keys, and the scrubbed table is COUNT rows. */
    static final int COUNT = 4096;

    private final StoreKind kind;
    private final String table;
    private final DataKey wrapping;

    KeyBuckets(StoreKind kind, String schemaPrefix, DataKey wrapping) {
        this.kind = kind;
        this.table = schemaPrefix + "key_buckets";
        this.wrapping = wrapping;
    }

    String table() {
        return table;
    }

    /** The bucket of a person key: its first 12 bits (person keys are keyed hashes, so buckets fill evenly). */
    static int of(byte[] personKey) {
        return (((personKey[0] & 0xff) << 8) | (personKey[1] & 0xff)) & (COUNT - 1);
    }

    /**
     * Creates the table with every bucket's key at once: the rows are never inserted or deleted afterwards, only
     * overwritten with values of the same size, so SQLite rewrites a re-keyed row in place and no page split ever
     * leaves a copy of an old bucket key behind.
     */
    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (kind == StoreKind.SQLITE) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " (bucket INTEGER PRIMARY KEY, wrapped BLOB NOT NULL)");
            } else {
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " (bucket INTEGER PRIMARY KEY, wrapped BYTEA NOT NULL)");
                // why: the keys are random and never compared; statistics would only copy some into pg_statistic.
                s.execute("ALTER TABLE " + table + " ALTER COLUMN wrapped SET STATISTICS 0");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                if (rs.getInt(1) == COUNT) {
                    return;
                }
            }
        }
        for (int start = 0; start < COUNT; start += Sql.MAX_IN) {
            int n = Math.min(Sql.MAX_IN, COUNT - start);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (bucket, wrapped) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(n, "(?, ?)")) + " ON CONFLICT (bucket) DO NOTHING")) {
                int i = 1;
                for (int bucket = start; bucket < start + n; bucket++) {
                    ps.setInt(i++, bucket);
                    ps.setBytes(i++, DataKey.generate().wrap(wrapping, associated(bucket)));
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * The keys of these buckets. With {@code forWrite} (in a transaction that wraps new data keys with them) each row
     * is share-locked on PostgreSQL, so a re-key waits for the writer and the writer after a re-key reads the new key;
     * SQLite's single writer orders them anyway.
     */
    Map<Integer, DataKey> keys(Connection c, Collection<Integer> buckets, boolean forWrite) throws SQLException {
        return select(c, buckets, forWrite && kind == StoreKind.POSTGRES ? " FOR SHARE" : "");
    }

    /** The key of a bucket from its stored row, as {@link #keys} reads it, or as a join with the data keys does. */
    DataKey open(int bucket, byte[] wrappedBucketKey) {
        DataKey key = DataKey.unwrap(wrapping, associated(bucket), wrappedBucketKey);
        if (key == null) {
            throw new IllegalStateException("the keystore's keys do not open with this instance key; start with "
                    + "the data directory (or a copy of its lethe.key) the keystore was created with");
        }
        return key;
    }

    /**
     * Locks these buckets for a re-key (PostgreSQL: in bucket order, so two destructions never wait on each other in a
     * circle) and returns their current keys.
     */
    Map<Integer, DataKey> lockForRekey(Connection c, Collection<Integer> buckets) throws SQLException {
        return select(c, buckets, kind == StoreKind.POSTGRES ? " FOR UPDATE" : "");
    }

    private Map<Integer, DataKey> select(Connection c, Collection<Integer> buckets, String lock) throws SQLException {
        Map<Integer, DataKey> out = new HashMap<>();
        for (List<Integer> chunk : Sql.chunks(new TreeSet<>(buckets))) {
            try (PreparedStatement ps = c.prepareStatement("SELECT bucket, wrapped FROM " + table + " WHERE bucket IN ("
                    + Sql.placeholders(chunk.size()) + ") ORDER BY bucket" + lock)) {
                int i = 1;
                for (int b : chunk) {
                    ps.setInt(i++, b);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), open(rs.getInt(1), rs.getBytes(2)));
                    }
                }
            }
        }
        return out;
    }

    /** Replaces a bucket's key: the new key's wrapped value has the old one's size, so SQLite overwrites it in place. */
    void replace(Connection c, int bucket, DataKey next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET wrapped = ? WHERE bucket = ?")) {
            ps.setBytes(1, next.wrap(wrapping, associated(bucket)));
            ps.setInt(2, bucket);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the keystore has no bucket " + bucket);
            }
        }
    }

    /** The stored value of a bucket's key, for tests that look for its bytes in the keystore's pages. */
    byte[] wrapped(Connection c, int bucket) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT wrapped FROM " + table + " WHERE bucket = ?")) {
            ps.setInt(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static byte[] associated(int bucket) {
        return DataKey.associated("key-bucket", bucket, new byte[0]);
    }
}
