package dev.lethe.store;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

final class SqliteDialect implements Dialect {

    /**
     * SQLite has one writer at a time, and a writer that finds the lock taken sleeps in the busy
     * handler (up to 100 ms a try) instead of being handed the lock. Writers of this process queue
     * here first, so the file lock passes from one to the next without sleeps.
     */
    private final WriterQueue writers;
    private final Path file;
    private final StatementCache statements = new StatementCache();

    /** How often {@link WalCheckpointer} copies the WAL into the file. */
    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    /** Started by {@link #opened}: the store's own file; the keystore's, never opened so, keeps SQLite's checkpoint. */
    private final WalCheckpointer checkpointer;

    SqliteDialect(long busyTimeoutMs, Path file) {
        this(busyTimeoutMs, file, CHECKPOINT_EVERY);
    }

    /** @param checkpointEvery how often the WAL is copied into the file ({@link #CHECKPOINT_EVERY} but in tests) */
    SqliteDialect(long busyTimeoutMs, Path file, Duration checkpointEvery) {
        this.file = file;
        this.writers = new WriterQueue(busyTimeoutMs, "lethe-writer-" + file.getFileName());
        this.checkpointer = new WalCheckpointer(() -> {
            try {
                return Database.sqliteDataSource(file, Duration.ofMillis(busyTimeoutMs)).getConnection();
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        }, writers, busyTimeoutMs, checkpointEvery, "lethe-checkpoints-" + file.getFileName());
    }

    @Override
    public StoreKind kind() {
        return StoreKind.SQLITE;
    }

    /** Truncates the WAL the last run left, so the store starts from its file alone. */
    @Override
    public void opened(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            checkpoint(s);
        } catch (SQLException e) {
            // why: another process reading the store can keep the checkpoint from finishing; the
            // checkpointer started below copies the WAL once that reader is done.
            LoggerFactory.getLogger(Database.class).warn("truncating the WAL left by the last run failed", e);
        }
        checkpointer.start();
        try {
            // why: files an older version created under a permissive umask lose their wider mode.
            PrivateFiles.restrictExisting(file.resolveSibling(file.getFileName() + "-wal"),
                    file.resolveSibling(file.getFileName() + "-shm"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the permissions of " + file + "'s WAL", e);
        }
    }

    @Override
    public void closed() {
        checkpointer.close();
    }

    /** One checkpoint of the WAL now, as the checkpointer's thread makes every second; for tests. */
    WalCheckpointer.Outcome checkpointNow() {
        return checkpointer.checkpointNow();
    }

    @Override
    public <T> T asWriter(WriterQueue.Work<T> work) throws SQLException {
        return writers.run(work);
    }

    @Override
    public boolean requestsWaiting() {
        return writers.requestsWaiting();
    }

    /** From the connection's cache of prepared statements ({@link StatementCache}). */
    @Override
    public java.sql.PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return statements.prepare(c, sql);
    }

    @Override
    public void commit(Connection c) throws SQLException {
        // why: the SQLite driver's commit() runs "COMMIT; BEGIN IMMEDIATE", taking the write
        // lock a second time for an empty transaction that the caller's reset then ends;
        // leaving auto-commit commits once (JDBC: changing the mode commits the transaction).
        c.setAutoCommit(true);
    }

    /**
     * Copies the WAL into the database file and truncates it (the keystore's scrub); throws if a reader or
     * writer kept it from finishing within the busy timeout, since the old page images are then still in the WAL.
     */
    static void checkpoint(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            // why: the row is (busy, frames in the WAL, frames checkpointed); busy 1 means it gave up.
            if (rs.next() && rs.getInt(1) != 0) {
                throw new SQLException("[SQLITE_BUSY] the WAL checkpoint could not finish: " + rs.getInt(2)
                        + " frames in the WAL, " + rs.getInt(3) + " copied");
            }
        }
    }

    @Override
    public boolean compacts() {
        return true;
    }

    @Override
    public void compact(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    @Override
    public void removeOldRowVersions(Connection c, java.util.List<String> tables) throws SQLException {
        compact(c);
    }

    @Override
    public void blockEventWrites(Connection c, long projectId) {
        // why: every write transaction is BEGIN IMMEDIATE, so the verifying transaction
        // already holds the single writer lock of the database.
    }

    @Override
    public void lockProjectErasure(Connection c, long projectId) {
        // why: both final transactions are BEGIN IMMEDIATE, so they already run one at a time.
    }

    @Override
    public void lockProjectIdentity(Connection c, long projectId) {
        // why: SQLite has one writer; ingestion transactions already run one at a time.
    }

}
