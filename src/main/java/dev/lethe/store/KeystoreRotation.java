package dev.lethe.store;

import dev.lethe.crypto.KeyRing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rotation of the KEK that wraps the keystore's bucket keys ({@link Keystore#rotateWrappingKey}), in steps that a
 * crash may stop between, each leaving the keystore readable:
 * <ol>
 *   <li>a new random KEK is added to the keyring file (synced, replaced atomically);</li>
 *   <li>the keystore's meta row makes it current, in one transaction;</li>
 *   <li>every bucket key under another KEK is rewrapped with it, {@value #BATCH} a transaction, in bucket order, each
 *       batch locked against a destruction's re-key;</li>
 *   <li>once no bucket is under another KEK (counted), the others are removed from the keyring.</li>
 * </ol>
 * The persons' data keys are wrapped by the bucket keys, so a rotation rewraps {@value KeyBuckets#COUNT} values
 * whatever the number of people.
 * A call that finds the previous rotation unfinished finishes it and adds no KEK: after step 1 it makes the newest KEK
 * of the keyring current, after step 2 or 3 it rewraps what is left with the current one. That KEK is as new as a
 * fresh one (the stopped rotation made it), and rows are never left under three KEKs. Run it again for another KEK.
 */
final class KeystoreRotation {

    /** Bucket keys rewrapped a transaction. */
    static final int BATCH = 1_000;

    private final Keystore keystore;
    private final KeystoreSchema schema;
    private final KeyBuckets buckets;
    private final KeyRing keyring;
    private final KeystoreScrub scrub;

    KeystoreRotation(Keystore keystore, KeystoreSchema schema, KeyBuckets buckets, KeyRing keyring, KeystoreScrub scrub) {
        this.keystore = keystore;
        this.schema = schema;
        this.buckets = buckets;
        this.keyring = keyring;
        this.scrub = scrub;
    }

    Keystore.Rotation run(int batchSize, int maxBatches) {
        int current = keystore.inTransaction(schema::currentKek);
        int target = target(current);
        if (target != current) {
            keystore.inTransaction(c -> {
                schema.setCurrentKek(c, target);
                return null;
            });
        }
        if (keyring.kek(target) == null) {
            throw new IllegalStateException("the keystore's current KEK " + target + " is not in " + KeyRing.FILE);
        }
        long rewrapped = 0;
        for (int batch = 0, from = 0; from < KeyBuckets.COUNT; batch++, from += batchSize) {
            if (batch == maxBatches) {
                return new Keystore.Rotation(target, rewrapped, List.of(), false);
            }
            int first = from;
            int last = Math.min(KeyBuckets.COUNT, from + batchSize);
            rewrapped += keystore.inTransaction(c -> rewrap(c, first, last, target));
        }
        long left = keystore.inTransaction(c -> underOtherKeks(c, target));
        if (left > 0) {
            // why: the walk covered every bucket, and a re-key keeps its bucket's KEK, so none can be left
            throw new IllegalStateException(left + " bucket keys are still under an older KEK after rewrapping; "
                    + "run the rotation again");
        }
        return new Keystore.Rotation(target, rewrapped, keyring.retireAllBut(target), true);
    }

    /** The KEK this rotation moves every row to: the stopped rotation's if there is one, else a new one. */
    private int target(int current) {
        int newest = keyring.newest();
        if (newest > current) {
            // why: the previous rotation added its KEK but stopped before making it current; nothing uses it yet
            return newest;
        }
        if (keystore.inTransaction(c -> underOtherKeks(c, current)) > 0) {
            // why: the previous rotation stopped while rewrapping; finish it rather than leave rows under three KEKs
            return current;
        }
        return keyring.add();
    }

    /**
     * Rewraps the bucket keys in {@code [first, last)} that are under other KEKs and returns how many. The buckets are locked first
     * (PostgreSQL; SQLite's single writer orders them anyway), so a destruction re-keying one of them meanwhile either
     * finished before, and its new key is what is rewrapped, or waits and re-keys under the target KEK's row.
     */
    private int rewrap(Connection c, int first, int last, int target) throws SQLException {
        List<Integer> range = new ArrayList<>();
        for (int b = first; b < last; b++) {
            range.add(b);
        }
        int rewrapped = 0;
        for (KeyBuckets.Stored stored : buckets.lock(c, range).values()) {
            if (stored.kek() == target) {
                continue;
            }
            buckets.replace(c, stored.bucket(), buckets.open(stored), target);
            rewrapped++;
        }
        if (rewrapped > 0) {
            scrub.leftOldCopies(c);
        }
        return rewrapped;
    }

    private long underOtherKeks(Connection c, int kek) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + schema.buckets + " WHERE kek <> ?")) {
            ps.setInt(1, kek);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
