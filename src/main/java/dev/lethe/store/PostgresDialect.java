package dev.lethe.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;

final class PostgresDialect implements Dialect {

    private static final Logger log = LoggerFactory.getLogger(PostgresDialect.class);

    /** Events before this month, or more than {@link #YEARS_AHEAD} ahead, stay in the default partition. */
    static final YearMonth FIRST_PARTITIONED_MONTH = YearMonth.of(1971, 1);
    static final int YEARS_AHEAD = 10;
    /**
     * A batch spanning more months than this gets partitions for its first and last month
     * only, so one request with absurd times cannot create hundreds of tables; the rest go to
     * the default partition and move out when their month is created.
     */
    static final int MAX_MONTHS_PER_BATCH = 36;

    private final Clock clock;
    /** Months whose partition was seen committed; it is never dropped by Lethe. */
    private final Set<YearMonth> knownMonths = ConcurrentHashMap.newKeySet();

    PostgresDialect() {
        this(Clock.systemUTC());
    }

    PostgresDialect(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void lockRowForUpdate(Tx tx, Tx.Step insertMissing, Tx.Step lockExisting) throws SQLException {
        // why: FOR UPDATE locks only rows that exist; two transactions reading a missing row would
        // both insert, and the second upsert overwrite the first. Creating it first gives both a row to wait on.
        insertMissing.run(tx);
        lockExisting.run(tx);
    }

    @Override
    public StoreKind kind() {
        return StoreKind.POSTGRES;
    }

    @Override
    public String jsonParam() {
        return "CAST(? AS jsonb)";
    }

    /**
     * Bitmap scans and sorts off until the transaction ends: a bitmap scan reads every row the index holds before the
     * first comes out, and a sort needs them all. With statistics that expect almost no unfinished task, the claim's
     * plan read every waiting task of a burst and sorted them (~1,600 rows, 2.6 ms a claim in lethe bench) where a walk
     * of {@code tasks_unfinished} in id order stops after the few it takes. Off, not forbidden: a plan with no other way
     * still sorts.
     */
    @Override
    public void orderedScans(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            // why: the settings are transaction-local; in auto-commit they end with this statement and the read they are
            // for runs without them (how the claim's candidates were read until session 21)
            throw new IllegalStateException("ordered scans need a transaction; this connection is in auto-commit");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)")) {
            ps.executeQuery().close();
        }
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public String forShare() {
        return " FOR SHARE";
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    public int rowsPerInsert() {
        // why: 10 parameters a row; 250 rows stay far below the protocol's 32767 bind parameters.
        return 250;
    }

    static final Pattern PARTITION_NAME = Pattern.compile("events_(default|y\\d{4}m\\d{2})");

    /** The partition that holds events of this month. */
    static String partitionName(YearMonth month) {
        return String.format("events_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    static long startMs(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    static YearMonth monthOf(long timeMs) {
        return YearMonth.from(Instant.ofEpochMilli(timeMs).atZone(ZoneOffset.UTC));
    }

    /** The months in [min, max] that get a partition of their own. */
    List<YearMonth> monthsFor(long minTimeMs, long maxTimeMs) {
        YearMonth first = monthOf(minTimeMs);
        YearMonth last = monthOf(maxTimeMs);
        List<YearMonth> candidates = new ArrayList<>();
        if (first.until(last, ChronoUnit.MONTHS) + 1 > MAX_MONTHS_PER_BATCH) {
            candidates.add(first);
            candidates.add(last);
        } else {
            for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                candidates.add(m);
            }
        }
        YearMonth lastSane = YearMonth.now(clock.withZone(ZoneOffset.UTC)).plusYears(YEARS_AHEAD);
        return candidates.stream().filter(m -> !m.isBefore(FIRST_PARTITIONED_MONTH) && !m.isAfter(lastSane)).toList();
    }

    @Override
    public void prepareEventTimes(Connection c, long minTimeMs, long maxTimeMs) throws SQLException {
        for (YearMonth month : monthsFor(minTimeMs, maxTimeMs)) {
            if (!knownMonths.contains(month)) {
                ensurePartition(c, month);
            }
        }
    }

    private void ensurePartition(Connection c, YearMonth month) throws SQLException {
        // why: in the caller's transaction a failed statement would abort everything it did;
        // the savepoint confines a failure (deadlock with a concurrent creator, a partition an
        // operator made with other bounds) to the creation, and the events still go in.
        Savepoint savepoint = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("SELECT lethe_ensure_events_partition(?, ?, ?)")) {
            ps.setString(1, partitionName(month));
            ps.setLong(2, startMs(month));
            ps.setLong(3, startMs(month.plusMonths(1)));
            boolean existed;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                existed = rs.getBoolean(1);
            }
            if (savepoint != null) {
                c.releaseSavepoint(savepoint);
            }
            // why: a partition this transaction just created disappears if the caller rolls
            // back; only one seen as already there is certainly committed.
            if (existed) {
                knownMonths.add(month);
            }
        } catch (SQLException e) {
            if (savepoint != null) {
                c.rollback(savepoint);
            }
            log.warn("could not create partition {}; its events go to events_default until a later insert creates it: {}",
                    partitionName(month), e.getMessage());
        }
    }

    @Override
    public void beginStreamingRead(Connection c) throws SQLException {
        // why: PostgreSQL only streams with a cursor inside a transaction.
        c.setAutoCommit(false);
    }

    @Override
    public void endStreamingRead(Connection c) throws SQLException {
        c.rollback();
        c.setAutoCommit(true);
    }

    @Override
    public void removeOldRowVersions(Connection c, List<String> tables) throws SQLException {
        vacuum(c, tables);
    }

    /** The tables other than events whose rows hold a person's data, or a request's ids. */
    static final List<String> PERSON_TABLES = List.of("profiles", "identity_links", "archive_subjects", "tasks");

    @Override
    public void cleanRewrittenRows(Connection c, String table) throws SQLException {
        if (!PERSON_TABLES.contains(table)) {
            throw new IllegalArgumentException("not a table Lethe cleans: " + table);
        }
        vacuum(c, List.of(table));
    }

    /**
     * A plain VACUUM: it removes the dead tuples (the rows, ids and properties in clear) from the heap
     * pages and their TOAST tables. Since PostgreSQL 14 it skips the index pass when few heap pages hold
     * dead items, which is exactly one person's deletion in a large store; the dead index items it then
     * leaves hold only keyed hashes ({@link IndexKeys}), never an id, so the pass is not forced: forcing
     * it read every index page of the touched months and made a deletion cost what the store holds.
     * PARALLEL 0: once a partition's indexes pass min_parallel_index_scan_size (512 kB by default),
     * VACUUM launches a parallel worker for their cleanup phase even when it then has nothing to do;
     * starting and stopping it took ~5 ms a partition, ~140 ms for a person spread over 25 months, on
     * a store of 500,000 events (against 3 ms without), and that grew with the store, not the person.
     */
    private static void vacuum(Connection c, List<String> tables) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (PARALLEL 0) " + String.join(", ", tables));
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * The project's advisory lock, exclusive: every transaction that inserts events into the project takes it
     * shared first ({@link #shareEventWrites}). It replaced {@code LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE},
     * which held back every project's inserts, and every other project's final transaction, while one deletion
     * finished.
     */
    @Override
    public void blockEventWrites(Connection c, long projectId) throws SQLException {
        advisoryLock(c, "pg_advisory_xact_lock", EVENT_WRITES_LOCK_CLASS, projectId);
    }

    @Override
    public void shareEventWrites(Connection c, long projectId) throws SQLException {
        advisoryLock(c, "pg_advisory_xact_lock_shared", EVENT_WRITES_LOCK_CLASS, projectId);
    }

    private static void advisoryLock(Connection c, String function, int lockClass, long projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            ps.setInt(1, lockClass);
            ps.setInt(2, Long.hashCode(projectId));
            ps.executeQuery().close();
        }
    }

    /** The first key of the two-key advisory locks Lethe takes per project; the second is the project. */
    static final int ERASURE_LOCK_CLASS = 0x4c455448;
    static final int IDENTITY_LOCK_CLASS = 0x4c494e4b;
    static final int EVENT_WRITES_LOCK_CLASS = 0x45564e54;

    @Override
    public void lockProjectErasure(Connection c, long projectId) throws SQLException {
        // why: under READ COMMITTED the retrieval's check and the deletion's archive sweep each
        // read before the other's commit; a transaction-level advisory lock orders them, and
        // each statement after it sees what the other committed. The two-key form keeps clear
        // of the one-key lock that serializes partition creation.
        advisoryLock(c, "pg_advisory_xact_lock", ERASURE_LOCK_CLASS, projectId);
    }

    @Override
    public void lockProjectIdentity(Connection c, long projectId) throws SQLException {
        advisoryLock(c, "pg_advisory_xact_lock", IDENTITY_LOCK_CLASS, projectId);
    }

}
