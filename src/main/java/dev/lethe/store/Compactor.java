package dev.lethe.store;

import dev.lethe.metrics.LetheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Rebuilds the embedded store's file after deletions. secure_delete zeroes a row when it is
 * deleted, but B-tree rebalancing earlier left stale copies of moved cells in the unused
 * space of live pages, which nothing clears except rebuilding the file ({@code VACUUM}).
 * A rebuild costs time in proportion to the whole store and holds the write lock, so it is
 * coalesced and deferred: deletions request one, and a single background thread runs it when
 * {@link CompactionSchedule} says so (the store quiet for a while, at most once per minimum
 * interval, and no later than the maximum delay after the oldest request). Requests arriving
 * meanwhile share the next run. On PostgreSQL there is nothing to do here (see docs/erasure.md).
 */
public final class Compactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    /** Longest real-time sleep of the background thread between two decisions. */
    private static final long MAX_SLEEP_MS = 1_000;

    private final Database db;
    private final CompactionSchedule schedule;
    private final StoreActivity activity;
    private final Clock clock;
    private final LetheMetrics metrics;
    private final Object lock = new Object();
    private long requested;
    private long completed;
    /** When the oldest request not yet covered by a started rebuild arrived; null if none. */
    private Instant requestedAt;
    private Instant lastRun;
    private boolean running;
    private boolean closed;
    private Thread thread;

    /** @param metrics counts the rebuilds and their durations */
    public Compactor(Database db, CompactionSchedule schedule, StoreActivity activity, Clock clock, LetheMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
        this.schedule = schedule;
        this.activity = activity;
        this.clock = clock;
        // why: counting from start-up keeps a freshly started instance from rebuilding at once.
        this.lastRun = clock.instant();
    }

    /** Starts the background thread; without it, compaction happens only through {@link #runIfDue()} or {@link #compactNow()}. */
    public void start() {
        if (!db.dialect().compacts()) {
            return;
        }
        thread = new Thread(() -> WriterQueue.runAsBackground(this::loop), "lethe-compactor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a rebuild after a deletion; returns at once. */
    public void request() {
        synchronized (lock) {
            requested++;
            if (requestedAt == null) {
                requestedAt = clock.instant();
            }
            lock.notifyAll();
        }
    }

    /** What the schedule says at this moment, from the injected clock and the store's activity. */
    public CompactionSchedule.Decision decision() {
        synchronized (lock) {
            return schedule.decide(requestedAt, lastRun, activity.quietSince(), clock.instant());
        }
    }

    /**
     * One decision of the background thread: rebuilds now, on the caller's thread, if the schedule
     * says so. Returns the decision taken; tests drive the compactor with it and a settable clock.
     */
    public CompactionSchedule.Decision runIfDue() {
        CompactionSchedule.Decision d = decision();
        if (d instanceof CompactionSchedule.Run run) {
            if (run.forced()) {
                log.info("store busy for the whole maximum delay ({}); rebuilding anyway", schedule.maxDelay());
            }
            try {
                compactNow();
            } catch (RuntimeException e) {
                // why: the deletions are already complete and verified, so a failed rebuild fails no task;
                // their requests stay pending and the rebuild is tried again after the minimum interval.
                log.warn("compacting the store after deletions failed; retrying after {}", schedule.minInterval(), e);
            }
        }
        return d;
    }

    /** Runs a rebuild now, on the caller's thread, whatever the schedule says; returns once it is done. */
    public void compactNow() {
        long ticket;
        Instant pendingBefore;
        synchronized (lock) {
            while (running) {
                waitQuietly(0);
            }
            running = true;
            ticket = requested;
            pendingBefore = requestedAt;
            requestedAt = null;
            lastRun = clock.instant();
        }
        boolean done = false;
        // why: the wall time of the rebuild itself, which the injected clock (a policy clock) does not measure
        long begun = System.nanoTime();
        try {
            // why: as this process's writer, so its other writers queue in-process behind the
            // rebuild and get the lock the moment it ends, not after a busy-handler sleep.
            db.asWriter(tx -> {
                db.dialect().compact(tx.connection());
                return null;
            });
            done = true;
        } finally {
            if (db.dialect().compacts()) {
                metrics.maintenance("compaction", done, Duration.ofNanos(System.nanoTime() - begun));
            }
            synchronized (lock) {
                running = false;
                if (done) {
                    completed = Math.max(completed, ticket);
                } else if (pendingBefore != null) {
                    // why: the requests this run was to serve are still owed; keep their age for the maximum delay.
                    requestedAt = requestedAt == null || pendingBefore.isBefore(requestedAt) ? pendingBefore : requestedAt;
                }
                lock.notifyAll();
            }
        }
    }

    /** Whether every rebuild requested so far has run. */
    public boolean idle() {
        synchronized (lock) {
            return completed >= requested;
        }
    }

    private void loop() {
        while (true) {
            CompactionSchedule.Decision d;
            synchronized (lock) {
                if (closed) {
                    return;
                }
            }
            d = runIfDue();
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (d instanceof CompactionSchedule.Idle) {
                    if (requestedAt == null) {
                        waitQuietly(0);
                    }
                } else if (d instanceof CompactionSchedule.Wait w) {
                    // why: re-decide at least every second, as activity may stop or the clock may jump.
                    long ms = Duration.between(clock.instant(), w.until()).toMillis();
                    waitQuietly(Math.max(1, Math.min(ms, MAX_SLEEP_MS)));
                }
            }
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
