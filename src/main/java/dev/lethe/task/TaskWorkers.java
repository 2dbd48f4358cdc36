package dev.lethe.task;

import dev.lethe.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one instance: each polls the engine every poll interval and drains
 * what it finds. Closing lets the current tasks finish for a grace period; a task still
 * running after it is abandoned to its lease, so another worker resumes it.
 */
public final class TaskWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final TaskEngine engine;
    private final ScheduledExecutorService threads;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile boolean running = true;

    private TaskWorkers(TaskEngine engine, int count) {
        this.engine = engine;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newScheduledThreadPool(count, r -> {
            // why: a task runs for seconds, a request waits for its one write; at SQLite's write turn the request goes first
            Thread t = new Thread(() -> Database.runAsBackground(r), "lethe-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code count} workers; {@code count} 0 gives none (an API-only instance). */
    public static TaskWorkers start(TaskEngine engine, int count, Duration pollInterval) {
        TaskWorkers workers = new TaskWorkers(engine, Math.max(1, count));
        for (int i = 0; i < count; i++) {
            workers.threads.scheduleWithFixedDelay(workers::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return workers;
    }

    /**
     * Polls now instead of at the next interval, e.g. right after a task was created; at most one
     * such poll waits at a time, so a burst of creations does not pile up polls behind busy workers.
     */
    public void wake() {
        if (running && wakePending.compareAndSet(false, true)) {
            try {
                threads.execute(this::poll);
            } catch (RejectedExecutionException e) {
                // why: closing raced this wake; the tasks stay queued for the next instance's workers.
                wakePending.set(false);
            }
        }
    }

    private void poll() {
        wakePending.set(false);
        try {
            // why: drain the queue without waiting a poll interval between tasks
            boolean found = true;
            while (running && found) {
                found = engine.runOnce();
            }
        } catch (RuntimeException e) {
            // why: an escaped exception would cancel this worker's schedule for good
            log.error("task worker poll failed; retrying at the next poll", e);
        }
    }

    @Override
    public void close() {
        running = false;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                engine.stopping();
                threads.shutdownNow();
                threads.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
