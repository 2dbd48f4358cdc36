package dev.lethe.store;

import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the prepared statements of each SQLite connection for reuse: the SQLite driver prepares a statement anew for
 * every {@code prepareStatement}, and preparing (parsing and planning against the whole schema) was 12% of the
 * deletion workers' time in a profile. With this cache, in alternating runs of the small bench (docs/benchmarks.md,
 * session 10), a claim and a task's creation held the store's write lock a third less, and deletions end to end took
 * about 15% less.
 * <p>
 * A cached statement is the driver's own statement class with one change: its {@code close} returns it to its
 * connection's cache instead of finalizing it. That close ends whatever the caller ran (the result set is closed and
 * the statement reset, so no read stays open to hold back a WAL checkpoint) and clears the parameters and any batch.
 * Until the next caller takes it, it reports itself closed and refuses to run. A statement whose SQL is in use by
 * another caller on the same connection (nested reads of one query) is prepared afresh and finalized on close, and so
 * is one of more than {@link #MAX_PARAMETERS} parameters. At most {@link #PER_CONNECTION} statements are kept a
 * connection, the least recently used go first; statements die with their connection.
 */
final class StatementCache {

    /** Statements kept a connection: the queries of a deletion or an ingestion are a few dozen. */
    static final int PER_CONNECTION = 128;
    /**
     * Statements of more parameters than this are not kept: they are the long lists built for one batch ({@code IN
     * (?, ?, ...)} of a batch's ids), whose length varies from batch to batch, so a kept one is rarely asked for again
     * and holds the most memory; preparing is a small part of running them.
     */
    static final int MAX_PARAMETERS = 32;

    private final Map<SQLiteConnection, Map<String, Cached>> byConnection = new WeakHashMap<>();
    /** Statements the driver prepared through this cache, for tests. */
    private final AtomicLong prepared = new AtomicLong();

    /** A statement of {@code sql} on the driver's connection behind {@code connection} (or a pool's proxy of it). */
    PreparedStatement prepare(java.sql.Connection connection, String sql) throws SQLException {
        SQLiteConnection physical = connection.unwrap(SQLiteConnection.class);
        Map<String, Cached> cache;
        synchronized (byConnection) {
            cache = byConnection.computeIfAbsent(physical, c -> new Lru());
        }
        // why: a connection is used by one thread at a time (the pool hands it out), so its own map needs no lock
        Cached cached = cache.get(sql);
        // why: only a statement that is not kept has its parameters counted; a kept one was counted when first kept
        if ((cached != null && cached.inUse) || (cached == null && parameters(sql) > MAX_PARAMETERS)) {
            prepared.incrementAndGet();
            return physical.prepareStatement(sql);
        }
        if (cached == null || cached.finalized()) {
            prepared.incrementAndGet();
            cached = new Cached(physical, sql);
            cache.put(sql, cached);
        }
        cached.inUse = true;
        return cached;
    }

    private static int parameters(String sql) {
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }

    /** How many statements the driver prepared through this cache. */
    long prepared() {
        return prepared.get();
    }

    /** The statements kept for one connection, least recently used first. */
    private static final class Lru extends LinkedHashMap<String, Cached> {
        Lru() {
            super(64, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            eldest.getValue().evict();
            return true;
        }
    }

    /**
     * The driver's statement, kept between callers. Why a subclass and not a wrapper: a caller binds a dozen values a
     * row for thousands of rows, and these calls then go straight to the driver.
     */
    private static final class Cached extends JDBC4PreparedStatement {
        /** Whether a caller holds it: between {@code prepare} and {@code close}. */
        boolean inUse;
        private boolean evicted;

        Cached(SQLiteConnection connection, String sql) throws SQLException {
            super(connection, sql);
        }

        boolean finalized() {
            return super.isClosed();
        }

        /** Out of the cache: finalized now, or when its caller closes it. */
        void evict() {
            evicted = true;
            if (!inUse) {
                finalizeQuietly();
            }
        }

        /**
         * Ends a caller's use: the statement is reset (whatever the caller ran, nothing of it stays in progress to hold
         * a read open or to make a VACUUM refuse), its parameters and batch cleared. A statement that cannot be reset
         * is finalized, and the next caller of its SQL gets a new one.
         */
        @Override
        public void close() throws SQLException {
            if (!inUse) {
                return;
            }
            try {
                rs.close();
                if (evicted || super.isClosed()) {
                    finalizeQuietly();
                    return;
                }
                try {
                    pointer.safeRunInt(DB::reset);
                    // why: a connection that reads generated keys keeps the "SELECT last_insert_rowid()" of the last
                    // INSERT open until the statement runs again or closes; left open, it is a read in progress
                    clearGeneratedKeys();
                    clearParameters();
                    clearBatch();
                } catch (SQLException e) {
                    // why: a statement the driver gave up on (it fails its own checks) is not kept
                    evicted = true;
                    finalizeQuietly();
                }
            } finally {
                inUse = false;
            }
        }

        @Override
        public boolean isClosed() {
            return !inUse || super.isClosed();
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            requireHeld();
            return super.executeQuery();
        }

        @Override
        public int executeUpdate() throws SQLException {
            requireHeld();
            return super.executeUpdate();
        }

        @Override
        public long executeLargeUpdate() throws SQLException {
            requireHeld();
            return super.executeLargeUpdate();
        }

        @Override
        public boolean execute() throws SQLException {
            requireHeld();
            return super.execute();
        }

        @Override
        public void addBatch() throws SQLException {
            requireHeld();
            super.addBatch();
        }

        @Override
        public int[] executeBatch() throws SQLException {
            requireHeld();
            return super.executeBatch();
        }

        @Override
        public long[] executeLargeBatch() throws SQLException {
            requireHeld();
            return super.executeLargeBatch();
        }

        /** A caller that kept the statement past its close must not run it under the next caller's hands. */
        private void requireHeld() throws SQLException {
            if (!inUse) {
                throw new SQLException("statement is closed");
            }
        }

        private void finalizeQuietly() {
            try {
                super.close();
            } catch (SQLException e) {
                // why: the statement is dropped either way; its connection finalizes what is left when it closes
            }
        }
    }
}
