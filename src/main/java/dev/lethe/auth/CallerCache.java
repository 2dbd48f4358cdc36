package dev.lethe.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GDPR callers recently authorised on a project, so that a client polling a task's status
 * does not cost four store queries a request. Keys are a hash of the credential plus the
 * (public) project token; a raw token or secret is never kept. Only successes are kept, and
 * an entry is served while all of these hold:
 * <ul>
 *   <li>less than the TTL has passed since it was filled (the bound on how stale a change made
 *       by another process, such as {@code lethe admin token revoke}, can be: docs/gdpr-api.md);</li>
 *   <li>the credential has not expired meanwhile;</li>
 *   <li>no credential or role changed in this process since ({@link CredentialChanges}).</li>
 * </ul>
 * At most {@code maxEntries} are held; when full it starts over empty, which only costs a lookup.
 */
final class CallerCache {

    private record Entry(GdprCaller caller, long generation, long filledAt, long validUntil) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final CredentialChanges changes;
    private final Clock clock;
    private final long ttlMillis;
    private final int maxEntries;

    /** @param ttl zero turns the cache off */
    CallerCache(CredentialChanges changes, Clock clock, Duration ttl, int maxEntries) {
        this.changes = changes;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
    }

    /** The caller cached under this key if still valid, else null. */
    GdprCaller get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        long now = clock.millis();
        // why: a clock set back must not stretch an entry's life beyond its TTL
        if (e.generation() != changes.current() || now < e.filledAt() || now >= e.validUntil()) {
            entries.remove(key, e);
            return null;
        }
        return e.caller();
    }

    /**
     * Keeps a caller authorised at {@code now} with credentials read under {@code generation}
     * (taken before the reads, so a change committed meanwhile makes the entry stale at once).
     *
     * @param expiresAt when the credential itself expires, epoch ms
     */
    void put(String key, GdprCaller caller, long generation, long now, long expiresAt) {
        if (ttlMillis <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry(caller, generation, now, Math.min(now + ttlMillis, expiresAt)));
    }

    int size() {
        return entries.size();
    }
}
