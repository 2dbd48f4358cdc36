package dev.lethe.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Shares one expensive flush (a WAL checkpoint, a directory fsync) among the callers that ask for
 * it at the same time. A caller takes a ticket after its own change is done and returns only once
 * a flush that <em>started after its ticket</em> has finished; callers that arrive while one runs
 * share the next instead of running one each.
 */
public final class GroupCommit {

    /** A flush; it calls {@code start} at the moment it begins and returns what that gave. */
    @FunctionalInterface
    public interface Flush<X extends Exception> {
        long run(Start start) throws X;
    }

    /** Marks the moment a flush begins: every ticket taken until then is covered by it. */
    @FunctionalInterface
    public interface Start {
        long now();
    }

    private final AtomicLong requested = new AtomicLong();
    private final ReentrantLock running = new ReentrantLock();
    /** The highest ticket a finished flush covers; written only while {@link #running} is held. */
    private long covered;

    /** Call once the caller's change is done; returns once a flush that began after that has finished. */
    public <X extends Exception> void flushAfter(Flush<X> flush) throws X {
        long ticket = requested.incrementAndGet();
        running.lock();
        try {
            if (covered >= ticket) {
                // why: a flush that started after our change finished while we waited for the turn.
                return;
            }
            covered = flush.run(requested::get);
        } finally {
            running.unlock();
        }
    }
}
