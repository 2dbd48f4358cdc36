package dev.lethe.store;

import dev.lethe.crypto.DataKey;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Data keys the keystore opened lately, by their row as stored (person key and wrapped key), so that a read finding the
 * row unchanged does not open its sub-bucket's and its own key again: 4-6 µs of a lookup's ~10 µs a key on this
 * project's machine. A key is only taken from here for a row the same read found in the keystore, so a destroyed key
 * (its row gone) or a rewrapped one (its row changed) is never used. Bounded: the {@value #MAX} used last are kept
 * (~300 bytes each, ~5 MB), and the whole starts over every {@value #LIFETIME_MINUTES} minutes, so a key another process
 * destroyed (it shares a PostgreSQL keystore) leaves this one's memory within that time; one this process destroys
 * leaves at once.
 */
final class OpenedKeys {

    static final int MAX = 16_384;
    static final long LIFETIME_MINUTES = 10;
    private static final long LIFETIME_NANOS = LIFETIME_MINUTES * 60_000_000_000L;

    private volatile Map<ByteBuffer, DataKey> keys = newMap();
    private volatile long startedAt = System.nanoTime();

    /** The keys as they are now, started over first if too old; reads put what they open into it. */
    Map<ByteBuffer, DataKey> current() {
        Map<ByteBuffer, DataKey> now = keys;
        if (System.nanoTime() - startedAt > LIFETIME_NANOS) {
            // why: a racing reader may still add to the old map; it is dropped with what it holds
            now = newMap();
            keys = now;
            startedAt = System.nanoTime();
        }
        return now;
    }

    /** Forgets the key of a row that was deleted or wrapped again. */
    void forget(byte[] personKey, byte[] wrapped) {
        keys.remove(row(personKey, wrapped));
    }

    /** The row as a whole, person key included, so a wrapped key copied to another row is no match. */
    static ByteBuffer row(byte[] personKey, byte[] wrapped) {
        return ByteBuffer.allocate(personKey.length + wrapped.length).put(personKey).put(wrapped).flip();
    }

    /**
     * Least recently used first out: a bulk load's batches meet most of the same people again, and with more people
     * than room, dropping everything when full kept few of them.
     */
    private static Map<ByteBuffer, DataKey> newMap() {
        return Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, DataKey> eldest) {
                return size() > MAX;
            }
        });
    }
}
