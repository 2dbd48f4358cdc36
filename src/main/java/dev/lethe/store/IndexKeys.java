package dev.lethe.store;

import dev.lethe.crypto.InstanceKey;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;

/**
 * The keyed hashes that index keys hold in place of personal values: no B-tree of the store holds a
 * distinct_id, a linked id or an {@code $insert_id} in clear, so the index items a plain VACUUM leaves
 * behind (PostgreSQL skips the index pass when few pages hold dead items) reveal nothing without the
 * instance key. The clear values stay in the rows, never indexed, where Lethe must return them.
 * Each hash is {@link InstanceKey#keyedHash} of a domain and the project, so one id hashes differently
 * in two projects and as a person, an event or a request.
 */
public final class IndexKeys {

    private final InstanceKey key;

    public IndexKeys(InstanceKey key) {
        this.key = key;
    }

    /** The key of a person id (a distinct_id, an alias, a device id) in a project. */
    public byte[] person(long projectId, String distinctId) {
        return key.keyedHash("person", Long.toString(projectId), distinctId);
    }

    /** The key of an event within its person and time: its name and {@code $insert_id}, the rest of the dedupe key. */
    public byte[] event(long projectId, String event, String insertId) {
        return key.keyedHash("event", Long.toString(projectId), event, insertId);
    }

    /** The key that spots a repeated GDPR request, from the unkeyed digest of its canonical form, as hex. */
    public String request(long projectId, String digest) {
        return HexFormat.of().formatHex(key.keyedHash("request", Long.toString(projectId), digest));
    }

    /**
     * What the store records of the key its index keys were made with ({@code index_key_check}): a
     * keyed hash of a constant, which says nothing about the key but whether it is the same one.
     */
    byte[] fingerprint() {
        return key.keyedHash("index-key-check");
    }

    /** Binds the person keys of {@code ids} from parameter {@code first}; returns the next free index. */
    public int bindPersons(PreparedStatement ps, int first, long projectId, Collection<String> ids) throws SQLException {
        int i = first;
        for (String id : ids) {
            ps.setBytes(i++, person(projectId, id));
        }
        return i;
    }

    /** Orders keys as both stores' indexes do (bytewise, unsigned). */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
