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
 * appending meanwhile. Once the WAL has been copied whole, SQLite starts it over from its beginning at the next write,
 * so with a checkpoint every second the WAL holds about a second of writes. The writers' own automatic checkpoint stays
 * as a backstop at a far higher threshold ({@link #BACKSTOP_PAGES}), for a checkpointer that cannot keep up.
 */
final class WalCheckpointer implements AutoCloseable {

    /** The WAL size (pages) at which a commit still checkpoints by itself: 400 MB. */
    static final int BACKSTOP_PAGES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    /** What one checkpoint found: whether another checkpoint was running, pages in the WAL, pages copied into the file. */
    record Outcome(boolean busy, int walPages, int copiedPages) {
    }

    private final Supplier<Connection> connections;
    private final Duration every;
    private final ScheduledExecutorService timer;
    private Connection connection;

    /**
     * @param connections opens a connection to the store's file, outside the pool; one is kept for the checkpoints
     * @param every       how often it checkpoints once {@link #start}ed
     */
    WalCheckpointer(Supplier<Connection> connections, Duration every, String threadName) {
        this.connections = connections;
        this.every = every;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
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
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            // why: the row is (busy, pages in the WAL, pages copied); busy means another checkpoint was running
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
