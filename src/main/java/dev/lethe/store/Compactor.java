package dev.lethe.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Rebuilds the embedded store's file after deletions. secure_delete zeroes a row when it is
 * deleted, but B-tree rebalancing earlier left stale copies of moved cells in the unused
 * space of live pages, which nothing clears except rebuilding the file ({@code VACUUM}).
 * A rebuild costs time in proportion to the whole store and holds the write lock, so it is
 * coalesced: deletions request one, a single background thread runs it, at most once per
 * {@code minInterval}, and requests arriving meanwhile share the next run.
 * On PostgreSQL there is nothing to do here (see docs/erasure.md).
 */
public final class Compactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    private final Database db;
    private final long minIntervalMs;
    private final Object lock = new Object();
    private long requested;
    private long completed;
    private boolean closed;
    private Thread thread;

    public Compactor(Database db, Duration minInterval) {
        this.db = db;
        this.minIntervalMs = minInterval.toMillis();
    }

    /** Starts the background thread; without it, compaction happens only through {@link #compactNow()}. */
    public void start() {
        if (db.kind() != StoreKind.SQLITE) {
            return;
        }
        thread = new Thread(this::loop, "lethe-compactor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a rebuild after a deletion; returns at once. */
    public void request() {
        synchronized (lock) {
            requested++;
            lock.notifyAll();
        }
    }

    /** Runs a rebuild now, on the caller's thread; returns once it is done. */
    public void compactNow() {
        long ticket;
        synchronized (lock) {
            ticket = requested;
        }
        db.withConnection(c -> {
            db.dialect().compact(c);
            return null;
        });
        synchronized (lock) {
            completed = Math.max(completed, ticket);
            lock.notifyAll();
        }
    }

    /** Whether every rebuild requested so far has run. */
    public boolean idle() {
        synchronized (lock) {
            return completed >= requested;
        }
    }

    private void loop() {
        // why: counting from start-up keeps a freshly started instance from rebuilding at once.
        long lastRun = System.currentTimeMillis();
        while (true) {
            synchronized (lock) {
                while (!closed && completed >= requested) {
                    waitQuietly(0);
                }
                if (closed) {
                    return;
                }
                long wait = lastRun + minIntervalMs - System.currentTimeMillis();
                if (wait > 0) {
                    waitQuietly(wait);
                    continue;
                }
            }
            try {
                compactNow();
            } catch (RuntimeException e) {
                // why: the deletions are already complete and verified; a failed rebuild is
                // retried at the next request rather than failing anyone's task.
                log.warn("compacting the store after deletions failed", e);
                synchronized (lock) {
                    completed = requested;
                }
            }
            lastRun = System.currentTimeMillis();
        }
    }

    private void waitQuietly(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
