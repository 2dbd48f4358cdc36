package dev.lethe.store;

import dev.lethe.crypto.DataKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keystore's middle layer of keys: each bucket ({@link KeyBuckets}) has up to {@value #PER_BUCKET} sub-buckets, made
 * when their first person's key is, each with a key wrapped by its bucket's key; a person's data key is wrapped by
 * its sub-bucket's. A destruction gives the sub-bucket that lost a key a new key (its other data keys wrapped again
 * under it) and its bucket a new key (its sub-bucket keys wrapped again): about {@value #PER_BUCKET} plus people /
 * ({@value KeyBuckets#COUNT} x {@value #PER_BUCKET}) keys, where wrapping data keys by bucket directly cost
 * people / {@value KeyBuckets#COUNT}. The old sub-bucket keys left in this table's pages are wrapped by the bucket key
 * the same destruction replaced, so the scrub still cleans only the bucket table.
 */
final class KeySubBuckets {

    /**
     * why: a destruction wraps again this many sub-bucket keys and people / (4,096 x 32) data keys, the fewest in all
     * at ~4 million people (32 + 32); 61 data keys a bucket (the bench's 10x store) become ~29 wraps, 6,100 (25 million
     * people) ~220.
     */
    static final int PER_BUCKET = 32;

    private final String table;

    KeySubBuckets(String table) {
        this.table = table;
    }

    /**
     * The sub-bucket of a person key, numbered across the keystore (its bucket x {@value #PER_BUCKET} + its place in it):
     * the place is the top 5 bits of the key's third byte, none of them the bucket's bits.
     */
    static int of(byte[] personKey) {
        return KeyBuckets.of(personKey) * PER_BUCKET + ((personKey[2] & 0xff) >>> 3);
    }

    /** The bucket a sub-bucket belongs to. */
    static int bucketOf(int sub) {
        return sub / PER_BUCKET;
    }

    /**
     * The keys of these sub-buckets, made (wrapped by their bucket's key) where one has none yet, for a transaction that
     * wraps new data keys with them. The caller holds their buckets' keys from {@link KeyBuckets#forWrapping},
     * share-locked on PostgreSQL, so no re-key changes a sub-bucket key until it commits; two writers making the same
     * sub-bucket keep the one committed first.
     */
    Map<Integer, DataKey> forWrapping(Connection c, Collection<Integer> subs, Map<Integer, DataKey> bucketKeys) throws SQLException {
        TreeSet<Integer> wanted = new TreeSet<>(subs);
        Map<Integer, DataKey> out = read(c, wanted, bucketKeys);
        List<Integer> missing = wanted.stream().filter(s -> !out.containsKey(s)).toList();
        if (missing.isEmpty()) {
            return out;
        }
        for (List<Integer> chunk : Sql.chunks(missing)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (sub, wrapped) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?)")) + " ON CONFLICT (sub) DO NOTHING")) {
                int i = 1;
                for (int sub : chunk) {
                    ps.setInt(i++, sub);
                    ps.setBytes(i++, wrap(DataKey.generate(), bucketKeys.get(bucketOf(sub)), sub));
                }
                ps.executeUpdate();
            }
        }
        // why: read back, so a sub-bucket another writer made first is the one used
        out.putAll(read(c, missing, bucketKeys));
        if (out.size() != wanted.size()) {
            throw new IllegalStateException("the keystore has no key for " + (wanted.size() - out.size()) + " sub-buckets just made");
        }
        return out;
    }

    private Map<Integer, DataKey> read(Connection c, Collection<Integer> subs, Map<Integer, DataKey> bucketKeys) throws SQLException {
        Map<Integer, DataKey> out = new HashMap<>();
        for (List<Integer> chunk : Sql.chunks(subs)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT sub, wrapped FROM " + table + " WHERE sub IN ("
                    + Sql.placeholders(chunk.size()) + ")")) {
                int i = 1;
                for (int sub : chunk) {
                    ps.setInt(i++, sub);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int sub = rs.getInt(1);
                        out.put(sub, open(bucketKeys.get(bucketOf(sub)), sub, rs.getBytes(2)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * These buckets' sub-bucket keys as stored, each wrapped by its bucket's key: by sub-bucket. A range of sub-bucket
     * numbers a bucket, so the read costs the sub-buckets that exist (an IN-list of all 32 numbers a bucket looked up
     * every one of them).
     */
    Map<Integer, byte[]> ofBuckets(Connection c, Collection<Integer> buckets) throws SQLException {
        Map<Integer, byte[]> out = new HashMap<>();
        List<Integer> all = new ArrayList<>(new TreeSet<>(buckets));
        // why: two parameters a range, within the IN-lists' bound of parameters
        int ranges = Sql.MAX_IN / 2;
        for (int from = 0; from < all.size(); from += ranges) {
            List<Integer> some = all.subList(from, Math.min(all.size(), from + ranges));
            try (PreparedStatement ps = c.prepareStatement("SELECT sub, wrapped FROM " + table + " WHERE "
                    + String.join(" OR ", java.util.Collections.nCopies(some.size(), "sub BETWEEN ? AND ?")))) {
                int i = 1;
                for (int bucket : some) {
                    ps.setInt(i++, bucket * PER_BUCKET);
                    ps.setInt(i++, bucket * PER_BUCKET + PER_BUCKET - 1);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), rs.getBytes(2));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Stores sub-bucket keys as wrapped anew (by sub-bucket): overwritten in place where the row exists (the value keeps
     * its size), inserted where it is new.
     */
    void store(Connection c, Map<Integer, byte[]> existing, Map<Integer, byte[]> made) throws SQLException {
        if (!existing.isEmpty()) {
            // why: one statement for the whole re-key (a destruction rewraps ~32 sub-bucket keys), not one execution a row
            for (List<Map.Entry<Integer, byte[]>> chunk : Sql.chunks(existing.entrySet())) {
                try (PreparedStatement ps = c.prepareStatement(Sql.updateByKey(table, "sub", List.of("wrapped"), chunk.size()))) {
                    int i = 1;
                    for (Map.Entry<Integer, byte[]> e : chunk) {
                        ps.setInt(i++, e.getKey());
                        ps.setBytes(i++, e.getValue());
                    }
                    for (Map.Entry<Integer, byte[]> e : chunk) {
                        ps.setInt(i++, e.getKey());
                    }
                    ps.executeUpdate();
                }
            }
        }
        if (!made.isEmpty()) {
            List<Map.Entry<Integer, byte[]>> rows = new ArrayList<>(made.entrySet());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (sub, wrapped) VALUES "
                    + Sql.rows(rows.size(), 2))) {
                int i = 1;
                for (Map.Entry<Integer, byte[]> e : rows) {
                    ps.setInt(i++, e.getKey());
                    ps.setBytes(i++, e.getValue());
                }
                ps.executeUpdate();
            }
        }
    }

    /** A sub-bucket's key wrapped by its bucket's key. */
    static byte[] wrap(DataKey key, DataKey bucketKey, int sub) {
        return key.wrap(bucketKey, associated(sub));
    }

    /** A sub-bucket's key from its stored value, which must open with its bucket's key. */
    static DataKey open(DataKey bucketKey, int sub, byte[] wrapped) {
        return Keystore.opened(DataKey.unwrap(bucketKey, associated(sub), wrapped));
    }

    /** A sub-bucket key as stored under one bucket key, wrapped under another (a re-key of its bucket). */
    static byte[] rewrap(DataKey from, DataKey to, int sub, byte[] wrapped) {
        return Keystore.opened(DataKey.rewrap(from, to, associated(sub), wrapped));
    }

    /** What binds a sub-bucket's wrapped key to its row. */
    static byte[] associated(int sub) {
        return DataKey.associated("key-sub-bucket", sub, new byte[0]);
    }
}
