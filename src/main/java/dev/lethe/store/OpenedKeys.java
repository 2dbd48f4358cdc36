package dev.lethe.store;

import dev.lethe.crypto.DataKey;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data keys the keystore opened lately, by their row as stored (person key and wrapped key), so that a read finding the
 * row unchanged does not open its sub-bucket's and its own key again: about 10 µs a key on this project's machine,
 * most of a key lookup. A key is only taken from here for a row the same read found in the keystore, so a destroyed
 * key (its row gone) or a rewrapped one (its row changed) is never used. Bounded: the map starts over past
 * {@value #MAX} keys (~16 MB) and every {@value #LIFETIME_MINUTES} minutes, so a key another process destroyed (it
 * shares a PostgreSQL keystore) leaves this one's memory within that time; one this process destroys leaves at once.
 */
final class OpenedKeys {

    static final int MAX = 65_536;
    static final long LIFETIME_MINUTES = 10;
    private static final long LIFETIME_NANOS = LIFETIME_MINUTES * 60_000_000_000L;

    private volatile Map<ByteBuffer, DataKey> keys = new ConcurrentHashMap<>();
    private volatile long startedAt = System.nanoTime();

    /** The keys as they are now, started over first if full or too old; reads put what they open into it. */
    Map<ByteBuffer, DataKey> current() {
        Map<ByteBuffer, DataKey> now = keys;
        if (now.size() > MAX || System.nanoTime() - startedAt > LIFETIME_NANOS) {
            // why: a racing reader may still add to the old map; it is dropped with what it holds
            now = new ConcurrentHashMap<>();
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
}
