package dev.lethe.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Copies the embedded store's WAL into its file from a thread and a connection of its own, so no write waits for it.
 * SQLite's automatic checkpoint runs inside the commit that took the WAL past its threshold, on the store's one writer
 * (its writer thread, {@link WriterQueue}), and every request's write waited for it to copy up to 40 MB.
 * <p>
 * A PASSIVE checkpoint copies the pages no reader still needs and waits for no reader or writer; writers go on
 * appending meanwhile. Once the WAL has been copied whole, SQLite starts it over from its beginning at the next write
 * (if no reader of an older snapshot is left, below), so the WAL holds about a second of writes. The writers' own
 * automatic checkpoint stays as a backstop at a far higher threshold ({@link #BACKSTOP_PAGES}), for a checkpointer
 * that cannot keep up.
 * <p>
 * A writer starts the WAL over only if, at its first write after a complete checkpoint, no reader still uses an older
 * snapshot; under steady reads it rarely finds that moment, and the WAL grew to the backstop, whose checkpoint copied and
 * synced the file on the write turn (holds of 0.4-1.2 s, every {@code /track} waiting, in lethe bench's deletions). So
 * once the WAL passes {@link #RESTART_PAGES}, the checkpointer copies until little is left and then ends with a RESTART
 * checkpoint under the process's write turn: it waits at most {@link #RESTART_WAIT_MS} for the readers of older
 * snapshots, after which the next writer starts the WAL over.
 */
final class WalCheckpointer implements AutoCloseable {

    /** The WAL size (pages) at which a commit still checkpoints by itself: 400 MB. */
    static final int BACKSTOP_PAGES = 100_000;
    /** The WAL size (pages) past which the checkpointer makes the WAL start over: 40 MB. */
    static final int RESTART_PAGES = 10_000;
    /** Pages written during a copy that are few enough to copy on the write turn. */
    static final int SMALL_REMAINDER_PAGES = 2_000;
    /** Copies at most before the restart, so a writer faster than the copies does not keep the checkpointer going. */
    private static final int MAX_CATCH_UP_COPIES = 4;
    /** How long the RESTART waits for readers of older snapshots, holding the write turn. */
    static final int RESTART_WAIT_MS = 50;

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    /** What one checkpoint found: whether another checkpoint was running, pages in the WAL, pages copied into the file. */
    record Outcome(boolean busy, int walPages, int copiedPages) {
    }

    private final Supplier<Connection> connections;
    private final WriterQueue writers;
    private final long busyTimeoutMs;
    private final Duration every;
    private final ScheduledExecutorService timer;
    private Connection connection;

    /**
     * @param connections   opens a connection to the store's file, outside the pool; one is kept for the checkpoints
     * @param writers       the process's write turn, which the restart holds
     * @param busyTimeoutMs the connections' busy timeout, set again after the restart's shorter one
     * @param every         how often it checkpoints once {@link #start}ed
     */
    WalCheckpointer(Supplier<Connection> connections, WriterQueue writers, long busyTimeoutMs, Duration every,
                    String threadName) {
        this.connections = connections;
        this.writers = writers;
        this.busyTimeoutMs = busyTimeoutMs;
        this.every = every;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            // why: its write turns (the restart) are background work, which requests' writes go before
            Thread t = new Thread(() -> WriterQueue.runAsBackground(r), threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Checkpoints every {@code every} from now on. */
    void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                checkpoint();
            } catch (SQLException | RuntimeException e) {
                // why: the next tick tries again with a new connection; the writers' backstop bounds the WAL meanwhile
                log.warn("checkpointing the WAL failed: {}", e.getMessage());
                closeConnection();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One PASSIVE checkpoint now, on the checkpointer's thread; waits for it. */
    Outcome checkpointNow() {
        try {
            return timer.submit(this::checkpoint).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checkpointing the WAL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("checkpointing the WAL failed", e.getCause());
        }
    }

    private Outcome checkpoint() throws SQLException {
        if (connection == null) {
            connection = connections.get();
        }
        Outcome outcome = run("PASSIVE");
        if (outcome.busy() || outcome.walPages() < RESTART_PAGES) {
            return outcome;
        }
        // why: the writers add pages while a copy runs; copying again first leaves the restart, which holds the write
        // turn, only what came in during the last copy
        for (int i = 0; i < MAX_CATCH_UP_COPIES; i++) {
            Outcome again = run("PASSIVE");
            if (again.walPages() < RESTART_PAGES) {
                // why: a writer found no reader of an older snapshot and started the WAL over by itself
                return again;
            }
            int added = again.walPages() - outcome.walPages();
            outcome = again;
            if (again.busy() || added < SMALL_REMAINDER_PAGES) {
                break;
            }
        }
        return restart();
    }

    /**
     * A RESTART checkpoint holding the process's write turn, as background work: the store's writers queue behind it
     * instead of retrying in SQLite's busy handler, and it waits for readers of older snapshots at most
     * {@link #RESTART_WAIT_MS} (busy if they outlast that; the next tick tries again).
     */
    private Outcome restart() throws SQLException {
        return writers.run(() -> {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + RESTART_WAIT_MS);
                try {
                    return run("RESTART");
                } finally {
                    s.execute("PRAGMA busy_timeout = " + busyTimeoutMs);
                }
            }
        });
    }

    private Outcome run(String mode) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // why: the row is (busy, pages in the WAL, pages copied); busy means another checkpoint was running, or a
            // RESTART's readers outlasted its wait
            rs.next();
            return new Outcome(rs.getInt(1) != 0, rs.getInt(2), rs.getInt(3));
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the checkpointer's connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
