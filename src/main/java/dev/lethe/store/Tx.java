package dev.lethe.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The store as domain code sees it inside one unit of work ({@link Database#inTransaction},
 * {@link Database#withConnection}): bound statements on the unit's connection, plus the
 * {@link Dialect}'s fragments and locks. The connection itself stays in {@code store/}, so
 * every SQLite/PostgreSQL difference is decided here and nowhere else.
 */
public final class Tx {

    /** Binds the parameters of a statement the store runs on the caller's behalf. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private final Connection connection;
    private final Dialect dialect;
    private final IndexKeys keys;
    private final Keystore keystore;
    /** The projects this transaction inserted events into, so it takes each one's lock once; null before the first. */
    private Set<Long> eventWriters;
    private Sealer sealer;
    /** What {@link #readOnce} read in this unit of work, by key; null before the first. */
    private Map<Object, Object> readOnce;

    Tx(Connection connection, Dialect dialect, IndexKeys keys, Keystore keystore) {
        this.connection = connection;
        this.dialect = dialect;
        this.keys = keys;
        this.keystore = keystore;
    }

    /** Reads a value for {@link #readOnce}. */
    @FunctionalInterface
    public interface Read<T> {
        T read(Tx tx) throws SQLException;
    }

    /**
     * The value {@code read} gives, read the first time this unit of work asks for {@code key} and kept until it ends:
     * for rows that a transaction moving many tasks would otherwise read once a task (a project's webhooks). A row
     * another transaction changes meanwhile is seen as it was at the first read.
     */
    @SuppressWarnings("unchecked")
    public <T> T readOnce(Object key, Read<T> read) throws SQLException {
        if (readOnce == null) {
            readOnce = new HashMap<>(4);
        }
        Object value = readOnce.get(key);
        if (value == null) {
            value = read.read(this);
            readOnce.put(key, value);
        }
        return (T) value;
    }

    /** Seals and opens personal content with the persons' data keys, for this unit of work. */
    public Sealer sealer() {
        if (sealer == null) {
            sealer = new Sealer(keystore);
        }
        return sealer;
    }

    /** The keyed hashes that index keys hold instead of personal values. */
    public IndexKeys keys() {
        return keys;
    }

    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return dialect.prepare(connection, sql);
    }

    /**
     * A statement that inserts one batch of rows, prepared afresh and finalized on close: never kept by the store's
     * statement cache. Why: on SQLite, /import was 8-14% slower with the event insert kept than prepared a batch, in
     * four A/Bs (docs/benchmarks.md, sessions 10 and 11; the cause is not found), and one parse is little against
     * binding a whole batch.
     */
    public PreparedStatement prepareForBatch(String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    public Statement createStatement() throws SQLException {
        return connection.createStatement();
    }

    /** The placeholder for a JSON document bound as text. */
    public String jsonParam() {
        return dialect.jsonParam();
    }

    /** See {@link Dialect#orderedScans}: for the rest of this transaction. */
    public void orderedScans() throws SQLException {
        dialect.orderedScans(connection);
    }

    /** Appended to a candidate select so concurrent claimers skip each other's rows. */
    public String skipLocked() {
        return dialect.skipLocked();
    }

    /** How many event rows one INSERT statement should carry on this store. */
    public int rowsPerInsert() {
        return Math.max(1, dialect.rowsPerInsert());
    }

    /** Call before inserting events with these times: a partitioned store makes sure their partitions exist. */
    public void prepareEventTimes(long minTimeMs, long maxTimeMs) throws SQLException {
        dialect.prepareEventTimes(connection, minTimeMs, maxTimeMs);
    }


    /** Runs a statement that writes rows of {@code events} (a delete or an in-place rewrite); returns how many it wrote. */
    public int writeEvents(String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = dialect.prepare(connection, sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /**
     * Serializes this transaction with every other final transaction of a deletion or retrieval of
     * the project, until it ends; see {@link Dialect#lockProjectErasure}. Call it first.
     */
    public void lockProjectErasure(long projectId) throws SQLException {
        dialect.lockProjectErasure(connection, projectId);
    }

    /** A statement of {@link #lockRowForUpdate}, run only on the stores that need it. */
    @FunctionalInterface
    public interface Step {
        void run(Tx tx) throws SQLException;
    }

    /**
     * Locks one row for a read-modify-write in this transaction: on PostgreSQL runs {@code insertMissing}
     * (an {@code INSERT ... ON CONFLICT DO NOTHING}, so there is a row to wait on) then {@code lockExisting}
     * (a {@code SELECT ... FOR UPDATE}); on SQLite nothing, its single writer already excludes the others.
     */
    public void lockRowForUpdate(Step insertMissing, Step lockExisting) throws SQLException {
        dialect.lockRowForUpdate(this, insertMissing, lockExisting);
    }

    /**
     * Serializes the transactions that may add identity links to one project until this one ends; see
     * {@link Dialect#lockProjectIdentity}.
     */
    public void lockProjectIdentity(long projectId) throws SQLException {
        dialect.lockProjectIdentity(connection, projectId);
    }

    /**
     * Whether a request's write waits for this transaction to end (on SQLite, whose one writer it holds): work that
     * can be split may commit what it did and go on in a new transaction, after the request's. Never on a store
     * with row locks.
     */
    public boolean requestsWaiting() {
        return dialect.requestsWaiting();
    }

    /** Holds back concurrent event inserts into the project until this transaction ends; see {@link Dialect#blockEventWrites}. */
    public void blockEventWrites(long projectId) throws SQLException {
        dialect.blockEventWrites(connection, projectId);
    }

    /** Before inserting events into the project: see {@link Dialect#shareEventWrites}. Once a project a transaction. */
    public void shareEventWrites(long projectId) throws SQLException {
        if (eventWriters == null) {
            eventWriters = new HashSet<>(2);
        }
        if (eventWriters.add(projectId)) {
            dialect.shareEventWrites(connection, projectId);
        }
    }

    /** The raw connection, for the store's own code (the dialects, the checkpoints, the compactor). */
    Connection connection() {
        return connection;
    }
}
