package dev.lethe.store;

import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps the prepared statements of each SQLite connection for reuse: the SQLite driver prepares a statement anew for
 * every {@code prepareStatement}, and preparing (parsing and planning against the whole schema) was 12% of the
 * deletion workers' time in a profile. With this cache, in alternating runs of the small bench (docs/benchmarks.md,
 * session 10), a claim and a task's creation held the store's write lock a third less, and deletions end to end took
 * about 15% less.
 * <p>
 * A caller gets a handle whose {@code close} returns the statement to its connection's cache instead of finalizing it:
 * the handle closes the result set it opened (which resets the statement, so no read stays open to hold back a WAL
 * checkpoint) and clears the parameters and any batch. A statement whose SQL is in use by another handle on the same
 * connection (nested reads of one query) is prepared afresh and finalized on close. At most {@link #PER_CONNECTION}
 * statements are kept a connection, the least recently used go first; statements die with their connection.
 */
final class StatementCache {

    /** Statements kept a connection: the queries of a deletion or an ingestion are a few dozen. */
    static final int PER_CONNECTION = 128;

    private final Map<Connection, Map<String, Entry>> byConnection = new WeakHashMap<>();
    /** Statements the driver prepared through this cache, for tests. */
    private final java.util.concurrent.atomic.AtomicLong prepared = new java.util.concurrent.atomic.AtomicLong();

    /** A statement of {@code sql} on {@code physical}, the driver's own connection (not a pool's proxy). */
    PreparedStatement prepare(Connection physical, String sql) throws SQLException {
        Map<String, Entry> cache;
        synchronized (byConnection) {
            cache = byConnection.computeIfAbsent(physical, c -> new Lru());
        }
        // why: a connection is used by one thread at a time (the pool hands it out), so its own map needs no lock
        Entry entry = cache.get(sql);
        if (entry != null && (entry.inUse || entry.statement.isClosed())) {
            if (entry.inUse) {
                prepared.incrementAndGet();
                return physical.prepareStatement(sql);
            }
            entry = null;
        }
        if (entry == null) {
            prepared.incrementAndGet();
            entry = new Entry(physical.prepareStatement(sql), sql);
            cache.put(sql, entry);
        }
        entry.inUse = true;
        return entry.handle();
    }

    /** How many statements the driver prepared through this cache. */
    long prepared() {
        return prepared.get();
    }

    /** The statements kept for one connection, least recently used first. */
    private static final class Lru extends LinkedHashMap<String, Entry> {
        Lru() {
            super(64, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            eldest.getValue().evict();
            return true;
        }
    }

    private static final class Entry {
        final PreparedStatement statement;
        /** Whether the SQL is an INSERT or REPLACE, after which the driver reads the new row id (see {@link #release}). */
        final boolean insert;
        boolean inUse;
        boolean evicted;
        /** The result set the current handle opened, closed when the handle is. */
        ResultSet open;

        Entry(PreparedStatement statement, String sql) {
            this.statement = statement;
            String head = sql.stripLeading();
            this.insert = head.regionMatches(true, 0, "INSERT", 0, 6) || head.regionMatches(true, 0, "REPLACE", 0, 7);
        }

        /** Out of the cache: finalized now, or when its handle is closed. */
        void evict() {
            evicted = true;
            if (!inUse) {
                finalizeQuietly();
            }
        }

        PreparedStatement handle() {
            // why: a proxy forwards the ~100 methods of PreparedStatement unchanged and intercepts only those that open
            // a result set or close the handle
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, new Handle(this));
        }

        /**
         * Ends a handle's use: the statement is reset (whatever the caller ran, nothing of it stays in progress to hold
         * a read open or to make a VACUUM refuse), its parameters and batch cleared. A statement that cannot be reset
         * is finalized, and the next caller of its SQL gets a new one.
         */
        void release() throws SQLException {
            try {
                if (open != null) {
                    open.close();
                    open = null;
                }
                if (evicted || statement.isClosed()) {
                    finalizeQuietly();
                    return;
                }
                try {
                    if (statement instanceof CoreStatement core) {
                        core.pointer.safeRunInt(DB::reset);
                    }
                    if (insert) {
                        // why: after an INSERT the driver runs "SELECT last_insert_rowid()" on a statement of its own
                        // and keeps that result open until the INSERT's statement is closed or runs again; left open,
                        // it is a read in progress (a VACUUM refuses to run, a checkpoint cannot pass it)
                        statement.getGeneratedKeys().close();
                    }
                    statement.clearParameters();
                    statement.clearBatch();
                } catch (SQLException e) {
                    // why: a statement the driver gave up on (it fails its own checks) is not kept
                    evicted = true;
                    finalizeQuietly();
                }
            } finally {
                inUse = false;
            }
        }

        private void finalizeQuietly() {
            try {
                statement.close();
            } catch (SQLException e) {
                // why: the statement is dropped either way; its connection finalizes what is left when it closes
            }
        }
    }

    /** One caller's use of a cached statement, from {@code prepareStatement} to {@code close}. */
    private static final class Handle implements java.lang.reflect.InvocationHandler {
        private final Entry entry;
        private boolean closed;

        Handle(Entry entry) {
            this.entry = entry;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        entry.release();
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "cached " + entry.statement;
                }
                default -> {
                }
            }
            if (closed) {
                throw new SQLException("statement is closed");
            }
            Object result;
            try {
                result = method.invoke(entry.statement, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof ResultSet rs) {
                entry.open = rs;
            }
            return result;
        }
    }
}
