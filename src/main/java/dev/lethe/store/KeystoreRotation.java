package dev.lethe.store;

import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.KeyRing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rotation of the KEK that wraps the keystore's keys ({@link Keystore#rotateWrappingKey}), in steps that a crash
 * may stop between, each leaving the keystore readable:
 * <ol>
 *   <li>a new random KEK is added to the keyring file (synced, replaced atomically);</li>
 *   <li>the keystore's meta row makes it current, in one transaction: every key made from then on is wrapped with it;</li>
 *   <li>every row under another KEK is rewrapped with it, {@value #BATCH} rows a transaction, walking the primary key;</li>
 *   <li>once no row is under another KEK (counted), the others are removed from the keyring.</li>
 * </ol>
 * A call that finds the previous rotation unfinished finishes it and adds no KEK: after step 1 it makes the newest KEK
 * of the keyring current, after step 2 or 3 it rewraps what is left with the current one. That KEK is as new as a
 * fresh one (the stopped rotation made it), and rows are never left under three KEKs. Run it again for another KEK.
 */
final class KeystoreRotation {

    /** Rows rewrapped a transaction. */
    static final int BATCH = 1_000;

    private final Keystore keystore;
    private final KeystoreSchema schema;
    private final KeyRing keyring;
    private final KeystoreScrub scrub;

    KeystoreRotation(Keystore keystore, KeystoreSchema schema, KeyRing keyring, KeystoreScrub scrub) {
        this.keystore = keystore;
        this.schema = schema;
        this.keyring = keyring;
        this.scrub = scrub;
    }

    /** Where the walk of the primary key has got to: the last row a batch looked at. */
    private record Position(long projectId, byte[] personKey) {
        static final Position START = new Position(Long.MIN_VALUE, new byte[0]);
    }

    /** What one batch did: rows rewrapped, rows looked at, and the last of them. */
    private record Batch(int rewrapped, int seen, Position last) {
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
        DataKey kek = keyring.kek(target);
        if (kek == null) {
            throw new IllegalStateException("the keystore's current KEK " + target + " is not in " + KeyRing.FILE);
        }
        long rewrapped = 0;
        Position at = Position.START;
        for (int batch = 0; ; batch++) {
            if (batch == maxBatches) {
                return new Keystore.Rotation(target, rewrapped, List.of(), false);
            }
            Position from = at;
            Batch done = keystore.inTransaction(c -> rewrap(c, from, batchSize, target, kek));
            rewrapped += done.rewrapped();
            if (done.seen() < batchSize) {
                break;
            }
            at = done.last();
        }
        long left = keystore.inTransaction(c -> underOtherKeks(c, target));
        if (left > 0) {
            // why: keys made after step 2 are wrapped with the target, and the walk covered every older row
            throw new IllegalStateException(left + " keystore rows are still under an older KEK after rewrapping; "
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
     * Rewraps the rows under other KEKs among the next {@code batchSize} rows after {@code from} that are not under
     * the target. The update is a compare-and-set on the row's KEK, so a row that a concurrent rotation rewrapped, or
     * a deletion destroyed, since this read is left alone.
     */
    private Batch rewrap(Connection c, Position from, int batchSize, int target, DataKey kek) throws SQLException {
        record Row(long projectId, byte[] personKey, int kek, byte[] rewrapped) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT project_id, person_key, wrapped, kek FROM " + schema.keys
                + " WHERE (project_id, person_key) > (?, ?) AND kek <> ? ORDER BY project_id, person_key LIMIT ?")) {
            ps.setLong(1, from.projectId());
            ps.setBytes(2, from.personKey());
            ps.setInt(3, target);
            ps.setInt(4, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long projectId = rs.getLong(1);
                    byte[] personKey = rs.getBytes(2);
                    int old = rs.getInt(4);
                    DataKey oldKek = keyring.kek(old);
                    if (oldKek == null) {
                        throw new IllegalStateException("a keystore row is wrapped by KEK " + old + ", which " + KeyRing.FILE
                                + " does not hold");
                    }
                    DataKey key = Keystore.unwrap(oldKek, projectId, personKey, rs.getBytes(3));
                    rows.add(new Row(projectId, personKey, old, Keystore.wrap(key, kek, projectId, personKey)));
                }
            }
        }
        int rewrapped = 0;
        if (!rows.isEmpty()) {
            try (PreparedStatement up = c.prepareStatement("UPDATE " + schema.keys
                    + " SET wrapped = ?, kek = ? WHERE project_id = ? AND person_key = ? AND kek = ?")) {
                for (Row row : rows) {
                    up.setBytes(1, row.rewrapped());
                    up.setInt(2, target);
                    up.setLong(3, row.projectId());
                    up.setBytes(4, row.personKey());
                    up.setInt(5, row.kek());
                    up.addBatch();
                }
                for (int n : up.executeBatch()) {
                    rewrapped += Math.max(n, 0);
                }
            }
            scrub.leftOldCopies(c);
        }
        Position last = rows.isEmpty() ? from : new Position(rows.get(rows.size() - 1).projectId(), rows.get(rows.size() - 1).personKey());
        return new Batch(rewrapped, rows.size(), last);
    }

    private long underOtherKeks(Connection c, int kek) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + schema.keys + " WHERE kek <> ?")) {
            ps.setInt(1, kek);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
