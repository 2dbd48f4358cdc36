package dev.lethe.store;

import dev.lethe.crypto.DataKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * A destruction's re-key of the keystore (docs/erasure.md): in the destruction's transaction, with the touched buckets
 * locked, new keys for the sub-buckets and buckets that lost a data key, and everything those keys wrapped wrapped
 * again under the new ones.
 */
final class KeyRekey {

    private final String table;
    private final KeyBuckets buckets;
    private final KeySubBuckets subBuckets;
    private final OpenedKeys recent;

    KeyRekey(String table, KeyBuckets buckets, KeySubBuckets subBuckets, OpenedKeys recent) {
        this.table = table;
        this.buckets = buckets;
        this.subBuckets = subBuckets;
        this.recent = recent;
    }

    /**
     * Gives the touched sub-buckets of each touched bucket new keys, their remaining data keys wrapped again under them,
     * and each touched bucket a new key, which then replaces the old one under the same KEK (so, on SQLite, in place),
     * with every sub-bucket key of the bucket wrapped again under it. Keys of these buckets from before sub-buckets,
     * wrapped by their bucket's key itself, move into their sub-buckets, so later destructions there cost what a
     * sub-bucket holds. A few statements for all the buckets (reads, then a batch of updates a table), however many:
     * a destruction of a group of deletions touches about as many buckets as keys.
     */
    void run(Connection c, Map<Integer, KeyBuckets.Stored> locked, SortedMap<Integer, Set<Integer>> touched)
            throws SQLException {
        Map<Integer, DataKey> old = new HashMap<>();
        Map<Integer, DataKey> next = new HashMap<>();
        for (int bucket : touched.keySet()) {
            old.put(bucket, buckets.open(locked.get(bucket)));
            next.put(bucket, DataKey.generate());
        }
        Map<Integer, byte[]> stored = subBuckets.ofBuckets(c, touched.keySet());
        // why: the keys of the touched sub-buckets that still hold data keys, before and after; then also those that the
        // keys from before sub-buckets move into
        Map<Integer, DataKey> before = new HashMap<>();
        Map<Integer, DataKey> after = new HashMap<>();
        touched.forEach((bucket, subs) -> {
            for (int sub : subs) {
                if (stored.containsKey(sub)) {
                    before.put(sub, KeySubBuckets.open(old.get(bucket), sub, stored.get(sub)));
                    after.put(sub, DataKey.generate());
                }
            }
        });
        List<Member> moving = members(c, touched.keySet(), before.keySet());
        if (!moving.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET wrapped = ?, sub = ? WHERE project_id = ? AND person_key = ?")) {
                for (Member m : moving) {
                    // why: rewrap, not an unwrap and a wrap with the one per-thread cipher, which redid AES's key schedule
                    // twice a member: with ~60 keys a bucket re-keyed at once, 40% of a re-key's time went to the crypto
                    byte[] wrapped;
                    int sub;
                    if (m.sub() == null) {
                        sub = KeySubBuckets.of(m.personKey());
                        DataKey bucketKey = old.get(KeyBuckets.of(m.personKey()));
                        DataKey to = after.computeIfAbsent(sub, s -> stored.containsKey(s) ? KeySubBuckets.open(bucketKey, s, stored.get(s))
                                : DataKey.generate());
                        wrapped = Keystore.rewrap(bucketKey, to, m.projectId(), m.personKey(), m.wrapped());
                    } else {
                        sub = m.sub();
                        wrapped = Keystore.rewrap(before.get(sub), after.get(sub), m.projectId(), m.personKey(), m.wrapped());
                    }
                    ps.setBytes(1, wrapped);
                    ps.setInt(2, sub);
                    ps.setLong(3, m.projectId());
                    ps.setBytes(4, m.personKey());
                    ps.addBatch();
                    recent.forget(m.personKey(), m.wrapped());
                }
                ps.executeBatch();
            }
        }
        Map<Integer, byte[]> rewrapped = new HashMap<>();
        stored.forEach((sub, wrapped) -> {
            int bucket = KeySubBuckets.bucketOf(sub);
            rewrapped.put(sub, after.containsKey(sub) ? KeySubBuckets.wrap(after.get(sub), next.get(bucket), sub)
                    : KeySubBuckets.rewrap(old.get(bucket), next.get(bucket), sub, wrapped));
        });
        Map<Integer, byte[]> made = new HashMap<>();
        after.forEach((sub, key) -> {
            if (!stored.containsKey(sub)) {
                made.put(sub, KeySubBuckets.wrap(key, next.get(KeySubBuckets.bucketOf(sub)), sub));
            }
        });
        subBuckets.store(c, rewrapped, made);
        Map<Integer, Integer> keks = new HashMap<>();
        touched.keySet().forEach(bucket -> keks.put(bucket, locked.get(bucket).kek()));
        buckets.replace(c, next, keks);
    }

    /** A keystore row: its sub-bucket is null for a row from before sub-buckets. */
    private record Member(long projectId, byte[] personKey, byte[] wrapped, Integer sub) {
    }

    /**
     * The keystore rows of these sub-buckets, and those of these buckets from before sub-buckets: index searches of
     * person_keys (sub, bucket) only, so the read costs what those sub-buckets hold, not what their buckets hold.
     */
    private List<Member> members(Connection c, Set<Integer> bucketsTouched, Set<Integer> subs) throws SQLException {
        List<Member> members = new ArrayList<>();
        String select = "SELECT project_id, person_key, wrapped, sub FROM " + table + " WHERE ";
        for (List<Integer> chunk : Sql.chunks(bucketsTouched)) {
            readMembers(c, select + "sub IS NULL AND bucket IN (" + Sql.placeholders(chunk.size()) + ")", chunk, members);
        }
        for (List<Integer> chunk : Sql.chunks(subs)) {
            readMembers(c, select + "sub IN (" + Sql.placeholders(chunk.size()) + ")", chunk, members);
        }
        return members;
    }

    private static void readMembers(Connection c, String sql, List<Integer> values, List<Member> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int v : values) {
                ps.setInt(i++, v);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int sub = rs.getInt(4);
                    Integer inSub = rs.wasNull() ? null : sub;
                    into.add(new Member(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), inSub));
                }
            }
        }
    }
}
