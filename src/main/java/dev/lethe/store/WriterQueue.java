package dev.lethe.store;

import org.slf4j.MDC;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This process's turn at SQLite's one write lock. Work that finds the turn free and nothing queued runs at once on
 * its caller's thread; otherwise it is queued, and a writer thread of its own runs the queued work back to back while
 * the caller waits. Work a request waits for goes before the background's (task workers, maintenance,
 * {@link #runAsBackground}), except that background work waiting longer than {@link #BACKGROUND_PATIENCE_MS} goes
 * next, so no amount of requests holds a deletion back for long.
 * <p>
 * why a thread of its own: with a lock handed from thread to thread, every release woke a parked thread that then
 * had to be scheduled; on a busy 2-core machine the lock sat idle about 30% of a burst of deletions while writers
 * waited for it (docs/benchmarks.md, session 12). The writer thread takes the next work as it finishes the last.
 * <p>
 * Queued work runs on another thread than its caller's: it must not take a Java lock its caller may hold while it
 * waits, nor read the caller's thread-local state (the caller's log context is carried over).
 */
final class WriterQueue {

    /** Work holding the turn. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * How long background work may wait behind requests' work before it goes next. Short against a deletion's
     * seconds end to end; long against a request's own write (under a millisecond).
     */
    static final long BACKGROUND_PATIENCE_MS = 50;
    /** How long the writer thread waits for more work before it ends (a new one starts with the next queued work). */
    private static final long IDLE_MS = 1_000;

    private static final ThreadLocal<Boolean> BACKGROUND = ThreadLocal.withInitial(() -> false);

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;

    private final ReentrantLock turn = new ReentrantLock();
    private final long timeoutMs;
    private final long patienceNanos;
    private final String threadName;
    /** Guards both queues and {@link #writer}. */
    private final Object queues = new Object();
    private final ArrayDeque<Job<?>> requests = new ArrayDeque<>();
    private final ArrayDeque<Job<?>> background = new ArrayDeque<>();
    private Thread writer;

    /**
     * @param timeoutMs  how long queued work may wait for its turn before it fails with {@code SQLITE_BUSY} unrun
     * @param threadName the writer thread's name
     */
    WriterQueue(long timeoutMs, String threadName) {
        this(timeoutMs, BACKGROUND_PATIENCE_MS, threadName);
    }

    /** @param patienceMs how long background work waits behind requests' work (tests shorten it) */
    WriterQueue(long timeoutMs, long patienceMs, String threadName) {
        this.timeoutMs = timeoutMs;
        this.patienceNanos = TimeUnit.MILLISECONDS.toNanos(patienceMs);
        this.threadName = threadName;
    }

    /** Runs {@code task} on this thread with its store writes queued as background work (a task worker's poll). */
    static void runAsBackground(Runnable task) {
        boolean was = BACKGROUND.get();
        BACKGROUND.set(true);
        try {
            task.run();
        } finally {
            BACKGROUND.set(was);
        }
    }

    /** Runs the work holding the turn and returns what it returned, or throws what it threw. */
    <T> T run(Work<T> work) throws SQLException {
        if (turn.isHeldByCurrentThread()) {
            // why: work already holding the turn (on its caller's thread or the writer's) opens another unit of work
            return work.run();
        }
        if (queued() == 0 && turn.tryLock()) {
            try {
                return work.run();
            } finally {
                turn.unlock();
            }
        }
        Job<T> job = new Job<>(work, BACKGROUND.get());
        enqueue(job);
        return job.await(this);
    }

    /** Whether a request's work (not background work) waits for the turn. */
    boolean requestsWaiting() {
        synchronized (queues) {
            return !requests.isEmpty();
        }
    }

    /** How much work waits for the writer thread. */
    int queued() {
        synchronized (queues) {
            return requests.size() + background.size();
        }
    }

    private void enqueue(Job<?> job) {
        synchronized (queues) {
            (job.background ? background : requests).add(job);
            if (writer == null) {
                writer = new Thread(this::drain, threadName);
                writer.setDaemon(true);
                writer.start();
            } else {
                queues.notifyAll();
            }
        }
    }

    /** Takes the queued job out unless it started meanwhile; returns whether it did. */
    private boolean withdraw(Job<?> job) {
        if (!job.state.compareAndSet(QUEUED, CANCELLED)) {
            return false;
        }
        synchronized (queues) {
            requests.remove(job);
            background.remove(job);
        }
        return true;
    }

    /**
     * The writer thread: once work is queued, takes the turn and runs queued jobs until none is left, then waits for
     * more; ends once none came for {@link #IDLE_MS}. A job is chosen only once the turn is held, so it goes by the
     * queue as it stands then, and stays withdrawable while the writer waits for the turn.
     */
    private void drain() {
        while (awaitWork()) {
            turn.lock();
            try {
                for (Job<?> job = next(); job != null; job = next()) {
                    if (job.state.compareAndSet(QUEUED, RUNNING)) {
                        job.runHere();
                    }
                }
            } finally {
                turn.unlock();
            }
        }
    }

    /** Waits until work is queued; false (and this thread is no longer the writer) once none came for {@link #IDLE_MS}. */
    private boolean awaitWork() {
        synchronized (queues) {
            long idleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MS);
            while (requests.isEmpty() && background.isEmpty()) {
                long left = idleUntil - System.nanoTime();
                if (left <= 0) {
                    writer = null;
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(queues, left);
                } catch (InterruptedException e) {
                    // why: nothing interrupts this thread on purpose; it keeps serving what is queued
                    Thread.interrupted();
                }
            }
            return true;
        }
    }

    /** The next job to run (a request's, unless background work is overdue), or null when none is queued. */
    private Job<?> next() {
        synchronized (queues) {
            Job<?> oldest = background.peek();
            boolean overdue = oldest != null && System.nanoTime() - oldest.queuedAt >= patienceNanos;
            return requests.isEmpty() || overdue ? background.poll() : requests.poll();
        }
    }

    /** Queued work, its caller, and its outcome. */
    private static final class Job<T> {
        final Work<T> work;
        final boolean background;
        final Thread caller = Thread.currentThread();
        // why: the request id of the caller's log context stays on what the work logs
        final Map<String, String> logContext = MDC.getCopyOfContextMap();
        final long queuedAt = System.nanoTime();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        volatile T result;
        volatile Throwable failure;

        Job(Work<T> work, boolean background) {
            this.work = work;
            this.background = background;
        }

        /** On the writer thread, holding the turn. */
        void runHere() {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                result = work.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                MDC.clear();
                state.set(DONE);
                LockSupport.unpark(caller);
            }
        }

        /**
         * On the caller's thread: waits for the outcome. Work not started within the timeout, or when the caller is
         * interrupted, is withdrawn unrun; work that started is waited for, since it may commit.
         */
        T await(WriterQueue queue) throws SQLException {
            long deadline = queuedAt + TimeUnit.MILLISECONDS.toNanos(queue.timeoutMs);
            boolean interrupted = false;
            while (state.get() != DONE) {
                if (state.get() == QUEUED) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 && queue.withdraw(this)) {
                        throw new StoreException("[SQLITE_BUSY] the database is locked: no turn at the write lock within "
                                + queue.timeoutMs + " ms");
                    }
                    LockSupport.parkNanos(this, Math.max(1, left));
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (queue.withdraw(this)) {
                        Thread.currentThread().interrupt();
                        throw new StoreException("interrupted while waiting for the store's write lock");
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable f = failure;
            if (f == null) {
                return result;
            }
            if (f instanceof SQLException e) {
                throw e;
            }
            if (f instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) f;
        }
    }
}
