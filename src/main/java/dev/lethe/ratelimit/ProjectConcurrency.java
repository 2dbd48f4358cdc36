package dev.lethe.ratelimit;

import dev.lethe.domain.DomainException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} calls of one kind running at once per project; the one over the limit is
 * refused as rate limited at once rather than queued, so a client's retry, not a held request
 * thread, waits for a slot.
 */
public final class ProjectConcurrency {

    /** A slot taken by one call; closing it gives the slot back (once). */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final String what;
    private final int limit;
    private final Map<Long, Semaphore> slots = new ConcurrentHashMap<>();

    /** @param what names the limited calls in the 429 message, e.g. "raw exports" */
    public ProjectConcurrency(String what, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a concurrency limit must be at least 1, got " + limit);
        }
        this.what = what;
        this.limit = limit;
    }

    public Slot enter(long projectId) {
        Semaphore s = slots.computeIfAbsent(projectId, id -> new Semaphore(limit));
        if (!s.tryAcquire()) {
            throw DomainException.rateLimited("more than " + limit + " " + what
                    + " running at once for this project; retry after 1s", 1);
        }
        boolean[] released = {false};
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    s.release();
                }
            }
        };
    }
}
