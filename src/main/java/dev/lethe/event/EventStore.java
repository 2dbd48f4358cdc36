package dev.lethe.event;

import dev.lethe.crypto.DataKey;
import dev.lethe.store.Database;
import dev.lethe.store.Keystore;
import dev.lethe.store.Sealer;
import dev.lethe.store.IndexKeys;
import dev.lethe.store.Sql;
import dev.lethe.store.Tx;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Events of all projects. Every per-person access goes through the dedupe index on
 * (project_id, person_key, time_ms, event_key), so its cost follows the person's data. The index
 * holds keyed hashes ({@link IndexKeys}), never the distinct_id or {@code $insert_id}, which stay
 * in the row.
 */
public final class EventStore {

    /** What every read of whole events selects, in this order; {@link StoredEvent#read} maps it. */
    private static final String COLUMNS = "id, event, time_ms, received_at, person_key, sealed, distinct_id, insert_id, "
            + "properties, source";

    private final Database db;

    public EventStore(Database db) {
        this.db = db;
    }

    /** Stores the events, skipping duplicates; returns how many were new. One transaction. */
    public int insert(long projectId, List<EventRecord> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return db.inTransaction(c -> insert(c, projectId, events));
    }

    /**
     * The index keys of a batch's events (keyed hashes, two HMACs an event), computed on first use or
     * ahead of the write transaction with {@link #add}: computed inside it, they lengthen the time the
     * store's single writer (SQLite) or the batch's row locks are held. Each person's key is computed
     * once a batch. For one project; not thread-safe.
     */
    public static final class Keys {

        private record EventId(String event, String insertId) {
        }

        private final IndexKeys keys;
        private final long projectId;
        private final Map<String, byte[]> persons = new HashMap<>();
        private final Map<EventId, byte[]> events = new HashMap<>();
        private Map<ByteBuffer, DataKey> dataKeys = Map.of();

        private Keys(IndexKeys keys, long projectId) {
            this.keys = keys;
            this.projectId = projectId;
        }

        /**
         * Looks up (or makes) the data keys of the persons added so far, in one keystore round trip: ahead of
         * the write transaction, like the hashes.
         */
        public void prepareDataKeys(Keystore keystore, long now) {
            if (!persons.isEmpty()) {
                dataKeys = keystore.findOrCreate(projectId, persons.values(), now);
            }
        }

        /** Computes the person key of an id the batch writes other rows for (its identity links). */
        public void addPerson(String distinctId) {
            person(distinctId);
        }

        /** Hands the data keys {@link #prepareDataKeys} found to the unit of work, for the rows it seals. */
        public void useDataKeys(Tx tx) {
            tx.sealer().use(dataKeys);
        }

        /** Computes the keys of an event that {@link #insert(Tx, List, Keys)} will store. */
        public void add(String distinctId, String event, String insertId) {
            person(distinctId);
            event(event, insertId);
        }

        byte[] person(String distinctId) {
            return persons.computeIfAbsent(distinctId, id -> keys.person(projectId, id));
        }

        byte[] event(String event, String insertId) {
            return events.computeIfAbsent(new EventId(event, insertId), id -> keys.event(projectId, id.event(), id.insertId()));
        }
    }

    /** A sealer for a reader of many chunks ({@link Unopened#openEncoded}). */
    public Sealer readerSealer() {
        return db.readerSealer();
    }

    /** An empty set of index keys for a batch of this project's events. */
    public Keys keys(long projectId) {
        return new Keys(db.keys(), projectId);
    }

    /** Inserts within the caller's transaction; returns how many rows were new. */
    public int insert(Tx tx, long projectId, List<EventRecord> events) throws SQLException {
        return insert(tx, events, new Keys(tx.keys(), projectId));
    }

    /** Like {@link #insert(Tx, long, List)}, with index keys computed ahead ({@link #keys}). */
    public int insert(Tx tx, List<EventRecord> events, Keys keys) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        long projectId = keys.projectId;
        tx.shareEventWrites(projectId);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (EventRecord e : events) {
            min = Math.min(min, e.timeMs());
            max = Math.max(max, e.timeMs());
        }
        tx.prepareEventTimes(min, max);
        Sealer sealer = tx.sealer();
        sealer.use(keys.dataKeys);
        List<byte[]> persons = new ArrayList<>();
        for (EventRecord e : events) {
            persons.add(keys.person(e.distinctId()));
        }
        sealer.prepare(projectId, persons);
        int perStatement = tx.rowsPerInsert();
        int whole = events.size() / perStatement * perStatement;
        int inserted = 0;
        if (whole > 0) {
            try (PreparedStatement ps = tx.prepareForBatch(insertSql(tx, perStatement))) {
                for (int start = 0; start < whole; start += perStatement) {
                    bindRows(ps, sealer, keys, projectId, events.subList(start, start + perStatement));
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) {
                    if (n > 0) {
                        inserted += n;
                    }
                }
            }
        }
        if (whole < events.size()) {
            List<EventRecord> rest = events.subList(whole, events.size());
            try (PreparedStatement ps = tx.prepareForBatch(insertSql(tx, rest.size()))) {
                bindRows(ps, sealer, keys, projectId, rest);
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    /**
     * One INSERT of {@code rows} rows. A duplicate within the statement is skipped like one
     * already stored: ON CONFLICT DO NOTHING sees the rows the statement inserted before it.
     */
    private static String insertSql(Tx tx, int rows) {
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, " + tx.jsonParam() + ", ?, ?)";
        return "INSERT INTO events (project_id, person_key, event_key, distinct_id, event, time_ms, insert_id, source, "
                + "properties, received_at, sealed) VALUES " + String.join(", ", Collections.nCopies(rows, row))
                + " ON CONFLICT (project_id, person_key, time_ms, event_key) DO NOTHING";
    }

    private static void bindRows(PreparedStatement ps, Sealer sealer, Keys keys, long projectId, List<EventRecord> rows)
            throws SQLException {
        int i = 1;
        for (EventRecord e : rows) {
            byte[] person = keys.person(e.distinctId());
            ps.setLong(i++, projectId);
            ps.setBytes(i++, person);
            ps.setBytes(i++, keys.event(e.event(), e.insertId()));
            ps.setString(i++, "");
            ps.setString(i++, e.event());
            ps.setLong(i++, e.timeMs());
            ps.setString(i++, "");
            ps.setString(i++, e.source());
            ps.setString(i++, "{}");
            ps.setLong(i++, e.receivedAt());
            ps.setBytes(i++, sealer.seal(projectId, person, Sealer.Kind.EVENT, e.distinctId(), e.insertId(), e.propertiesJson()));
        }
    }



    /**
     * Streams the events of these ids with {@code time_ms >= fromMs}, in bounded memory (the
     * rows are fetched in pages, never collected).
     */
    public void forEach(long projectId, Collection<String> distinctIds, long fromMs, Consumer<EventRecord> sink) {
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            db.streaming(tx -> {
                try (PreparedStatement ps = tx.prepareStatement(personEventsSql(chunk.size()))) {
                    ps.setFetchSize(1000);
                    ps.setLong(1, projectId);
                    int next = tx.keys().bindPersons(ps, 2, projectId, chunk);
                    ps.setLong(next, fromMs);
                    streamEvents(tx, projectId, ps, sink);
                }
                return null;
            });
        }
    }

    /**
     * Streams every event of a project, oldest first, on the caller's connection (inside a
     * transaction, so PostgreSQL uses a cursor). Reads the project's range of the dedupe index
     * and sorts it: for one-off repairs such as {@code lethe admin identity rebuild}, never a request path.
     */
    public void forEachInProject(Tx c, long projectId, Consumer<EventRecord> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM events WHERE project_id = ? ORDER BY time_ms, id")) {
            ps.setFetchSize(1000);
            ps.setLong(1, projectId);
            streamEvents(c, projectId, ps, sink);
        }
    }

    /** A row read with {@link #COLUMNS}, its personal content not opened yet. */
    private record StoredEvent(long id, String event, long timeMs, String source, long receivedAt, Sealer.Stored content) {

        /**
         * @param withSource whether the reader needs the source (an {@link EventRecord} does, a {@link Row} does not):
         *                   a column read is a JNI call on SQLite, so the export reads no column it does not write,
         *                   and the clear columns only for a row from before sealing
         */
        static StoredEvent read(ResultSet rs, boolean withSource) throws SQLException {
            byte[] sealed = rs.getBytes(6);
            Sealer.Stored content = sealed != null ? new Sealer.Stored(rs.getBytes(5), sealed)
                    : new Sealer.Stored(rs.getBytes(5), null, rs.getString(7), rs.getString(8), rs.getString(9));
            return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), withSource ? rs.getString(10) : null,
                    rs.getLong(4), content);
        }

        /** With its opened fields (distinct id, insert id, properties), or without them when they no longer open. */
        Row row(String[] f) {
            return f == null ? new Row(id, null, event, timeMs, null, null, receivedAt)
                    : new Row(id, f[0], event, timeMs, f[1], f[2], receivedAt);
        }

        EventRecord record(String[] f) {
            return new EventRecord(f[0], event, timeMs, f[1], source, f[2], receivedAt);
        }
    }

    /** Receives each row of a query with its opened fields, null where they no longer open. */
    @FunctionalInterface
    private interface OpenedSink {
        void accept(StoredEvent row, String[] fields);
    }

    /**
     * Streams the rows of a query selecting {@link #COLUMNS} with their opened fields, a thousand rows at a time: the
     * keys of each thousand's persons are read in one keystore round trip, and no more than a thousand rows are held.
     */
    private static void streamOpened(Tx tx, long projectId, PreparedStatement ps, boolean withSource, OpenedSink sink)
            throws SQLException {
        List<StoredEvent> page = new ArrayList<>(1000);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                page.add(StoredEvent.read(rs, withSource));
                if (page.size() == 1000) {
                    open(tx, projectId, page, sink);
                    page.clear();
                }
            }
        }
        open(tx, projectId, page, sink);
    }

    private static void open(Tx tx, long projectId, List<StoredEvent> page, OpenedSink sink) {
        List<String[]> fields = tx.sealer().openAll(projectId, Sealer.Kind.EVENT, page.stream().map(StoredEvent::content).toList());
        for (int i = 0; i < page.size(); i++) {
            sink.accept(page.get(i), fields.get(i));
        }
    }

    /** The events of a query selecting {@link #COLUMNS}; those that no longer open are left out. */
    private static void streamEvents(Tx tx, long projectId, PreparedStatement ps, Consumer<EventRecord> sink) throws SQLException {
        streamOpened(tx, projectId, ps, true, (row, f) -> {
            if (f != null) {
                sink.accept(row.record(f));
            }
        });
    }

    /** The rows of a query selecting {@link #COLUMNS}, those that no longer open included (not {@link Row#readable}). */
    private static List<Row> rows(Tx tx, long projectId, PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        streamOpened(tx, projectId, ps, false, (row, f) -> out.add(row.row(f)));
        return out;
    }

    /**
     * The query {@link #forEach} runs: parameters are the project id, the person keys of
     * {@code idCount} distinct ids and {@code fromMs}. Public so a test can check its plan uses the
     * person index. Ordered as the index is: each id's events together, oldest first.
     */
    public static String personEventsSql(int idCount) {
        return "SELECT " + COLUMNS + " FROM events "
                + "WHERE project_id = ? AND person_key IN (" + Sql.placeholders(idCount) + ") AND time_ms >= ? "
                + "ORDER BY person_key, time_ms";
    }

    /**
     * A stored event with its row id, as the raw export reads it. A row whose content no longer opens (its
     * person's key is destroyed) has a null distinct id, insert id and properties: {@link #readable} is false.
     */
    public record Row(long id, String distinctId, String event, long timeMs, String insertId, String propertiesJson,
                      long receivedAt) {
        public boolean readable() {
            return distinctId != null;
        }
    }

    /** A position in the (time_ms, id) order of a project's events: the export resumes after it. */
    public record TimePosition(long timeMs, long id) {
        public static final TimePosition START = new TimePosition(Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /**
     * The next {@code limit} events of the project with {@code fromMs <= time_ms < toMs} after
     * {@code after} in (time_ms, id) order. Read through the
     * (project_id, time_ms) index; each call is its own short read, so an export never holds a
     * snapshot open while its client reads (a long one would keep a deletion's WAL checkpoint or
     * VACUUM from reclaiming the deleted rows).
     */
    public List<Row> timeRange(long projectId, long fromMs, long toMs, TimePosition after, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = timeRangeQuery(c, projectId, fromMs, toMs, after, limit)) {
                return rows(c, projectId, ps);
            }
        });
    }

    /**
     * Like {@link #timeRange}, but the rows' personal content is left sealed: an export reads a chunk on one thread
     * and opens it on another ({@link Unopened#openEncoded}), each with half of the work.
     */
    public Unopened timeRangeUnopened(long projectId, long fromMs, long toMs, TimePosition after, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = timeRangeQuery(c, projectId, fromMs, toMs, after, limit);
                 ResultSet rs = ps.executeQuery()) {
                List<StoredEvent> rows = new ArrayList<>(limit);
                while (rs.next()) {
                    rows.add(StoredEvent.read(rs, false));
                }
                return new Unopened(projectId, rows);
            }
        });
    }

    private static PreparedStatement timeRangeQuery(Tx c, long projectId, long fromMs, long toMs, TimePosition after,
                                                    int limit) throws SQLException {
        PreparedStatement ps = c.prepareStatement(TIME_RANGE_SQL);
        ps.setLong(1, projectId);
        ps.setLong(2, Math.max(fromMs, after.timeMs()));
        ps.setLong(3, toMs);
        ps.setLong(4, after.timeMs());
        ps.setLong(5, after.id());
        ps.setInt(6, limit);
        return ps;
    }

    /** Rows of one project read with their personal content still sealed ({@link #timeRangeUnopened}). */
    public static final class Unopened {
        private final long projectId;
        private final List<StoredEvent> rows;

        private Unopened(long projectId, List<StoredEvent> rows) {
            this.projectId = projectId;
            this.rows = rows;
        }

        public int size() {
            return rows.size();
        }

        /** Where the next chunk starts: after the last of these rows. Not for an empty chunk. */
        public TimePosition last() {
            StoredEvent end = rows.get(rows.size() - 1);
            return new TimePosition(end.timeMs(), end.id());
        }

        /**
         * The rows opened with {@code reader} ({@link #readerSealer}) as a unit of work of its own, their fields left as
         * the UTF-8 they were sealed as ({@link EncodedRow}): their keys are checked now, so a key destroyed since the
         * rows were read opens nothing.
         */
        public List<EncodedRow> openEncoded(Sealer reader) {
            List<Sealer.Encoded> fields = reader.openUnitEncoded(projectId, Sealer.Kind.EVENT,
                    rows.stream().map(StoredEvent::content).toList());
            List<EncodedRow> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                StoredEvent r = rows.get(i);
                out.add(new EncodedRow(r.id(), r.event(), r.timeMs(), r.receivedAt(), fields.get(i)));
            }
            return out;
        }
    }

    /**
     * An event as an export writes it: its opened fields (distinct id, insert id, properties) still the UTF-8 they were
     * sealed as, null where the row's key is gone.
     */
    public record EncodedRow(long id, String event, long timeMs, long receivedAt, Sealer.Encoded fields) {

        public static final int DISTINCT_ID = 0;
        public static final int INSERT_ID = 1;
        public static final int PROPERTIES = 2;

        public boolean readable() {
            return fields != null;
        }

        public String distinctId() {
            return fields.text(DISTINCT_ID);
        }

        public String insertId() {
            return fields.text(INSERT_ID);
        }

        /** The properties decoded, for a reader that parses them. */
        public String propertiesJson() {
            return fields.text(PROPERTIES);
        }
    }

    /**
     * The query {@link #timeRange} runs; public so a test can check its plan. It takes no event-name
     * filter: with one, PostgreSQL may sort every matching row left in the range for each chunk
     * (a bitmap scan and a sort instead of the ordered index scan), which makes a whole export
     * quadratic; the caller filters names instead, which keeps it linear in the range.
     */
    public static final String TIME_RANGE_SQL = "SELECT " + COLUMNS + " "
            + "FROM events WHERE project_id = ? AND time_ms >= ? AND time_ms < ? AND (time_ms > ? OR id > ?) "
            + "ORDER BY time_ms, id LIMIT ?";

    /**
     * Where a batch of one person key's events ends: the time and event key of its {@code limit}-th oldest event
     * (binding the project, the person key, then {@code limit - 1}), read from the person index in its order, so it
     * costs what the batch holds. Public so a test can check its plan.
     */
    public static final String BATCH_END_SQL = "SELECT time_ms, event_key FROM events WHERE project_id = ? AND person_key = ? "
            + "ORDER BY time_ms, event_key LIMIT 1 OFFSET ?";
    /**
     * Deletes one person key's events up to a batch's end, that one included (binding the project, the person key, the
     * end's time twice, then its event key): exactly a batch, since the time and event key are unique for a person key.
     * The bound on the time alone is what the index searches by; the event key settles events at the end's time. Public
     * so a test can check its plan.
     */
    public static final String DELETE_UP_TO_SQL = "DELETE FROM events WHERE project_id = ? AND person_key = ? AND time_ms <= ? "
            + "AND (time_ms < ? OR event_key <= ?)";

    /**
     * Deletes at most {@code limit} events of these ids in the caller's transaction, oldest first; returns how many. Each
     * id's batch is found where it ends and then deleted by a range of the person index: a DELETE naming the batch's rows
     * through a subquery looked each row up again, and on PostgreSQL pruned the partitions for each one (~100 ms for a
     * batch of 1,000 in lethe bench, against ~3 ms this way).
     */
    public int deleteBatch(Tx tx, long projectId, Collection<String> distinctIds, int limit) throws SQLException {
        int deleted = 0;
        for (String id : distinctIds) {
            if (deleted >= limit) {
                break;
            }
            int remaining = limit - deleted;
            List<String> key = List.of(id);
            BatchEnd end = batchEnd(tx, projectId, key, remaining);
            if (end == null) {
                // why: fewer than the batch are left under this id; they all go, and the next id gets the rest
                deleted += deleteAll(tx, projectId, key);
                continue;
            }
            deleted += tx.writeEvents(DELETE_UP_TO_SQL, ps -> {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, key);
                ps.setLong(3, end.timeMs());
                ps.setLong(4, end.timeMs());
                ps.setBytes(5, end.eventKey());
            });
        }
        return deleted;
    }

    /** The last event of a batch: its time and event key, unique for a person key. */
    private record BatchEnd(long timeMs, byte[] eventKey) {
    }

    /** The {@code count}-th oldest event of one id, or null if it has fewer. */
    private static BatchEnd batchEnd(Tx tx, long projectId, List<String> id, int count) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(BATCH_END_SQL)) {
            ps.setLong(1, projectId);
            tx.keys().bindPersons(ps, 2, projectId, id);
            ps.setInt(3, count - 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BatchEnd(rs.getLong(1), rs.getBytes(2)) : null;
            }
        }
    }

    /** {@link #deleteAll}'s statement for {@code ids} person keys; public so a test can check its plan. */
    public static String deleteAllSql(int ids) {
        return "DELETE FROM events WHERE project_id = ? AND person_key IN (" + Sql.placeholders(ids) + ")";
    }

    /** Deletes every event of these ids in the caller's transaction; returns how many. */
    public int deleteAll(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        int deleted = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            deleted += tx.writeEvents(deleteAllSql(chunk.size()), ps -> {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, chunk);
            });
        }
        return deleted;
    }

    /**
     * Rewrites at most {@code limit} events of these ids in place, in the caller's transaction: each
     * row is read through the person index, passed to {@code rewrite}, and its {@code distinct_id},
     * {@code insert_id} and {@code properties} are set to what it returns (event name, time, source
     * and row id are kept; a null return leaves the row). Returns how
     * many rows it rewrote. Every statement that rewrites events is here, so a change of the events'
     * keys is made in one place.
     */
    public int rewriteBatch(Tx tx, long projectId, Collection<String> distinctIds, int limit, UnaryOperator<Row> rewrite)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            if (rows.size() >= limit) {
                break;
            }
            try (PreparedStatement ps = tx.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE project_id = ? "
                    + "AND person_key IN (" + Sql.placeholders(chunk.size()) + ") LIMIT ?")) {
                ps.setLong(1, projectId);
                int next = tx.keys().bindPersons(ps, 2, projectId, chunk);
                ps.setInt(next, limit - rows.size());
                rows.addAll(rows(tx, projectId, ps));
            }
        }
        int rewritten = 0;
        for (Row before : rows) {
            if (!before.readable()) {
                // why: content whose key is gone is already erased; rewriting cannot reach it, deleting it tidies up
                rewritten += deleteRow(tx, projectId, before);
                continue;
            }
            Row after = rewrite.apply(before);
            if (after != null) {
                rewritten += rewrite(tx, projectId, before, after);
            }
        }
        return rewritten;
    }

    /**
     * Streams the events of one id on the caller's transaction (through the person index), for a
     * check over what a rewrite left under its new id.
     */
    public void forEachOf(Tx tx, long projectId, String distinctId, Consumer<Row> sink) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE project_id = ? "
                + "AND person_key = ?")) {
            ps.setFetchSize(1000);
            ps.setLong(1, projectId);
            ps.setBytes(2, tx.keys().person(projectId, distinctId));
            streamOpened(tx, projectId, ps, false, (row, f) -> {
                if (f != null) {
                    sink.accept(row.row(f));
                }
            });
        }
    }

    /** Rewrites one row read by {@link #rewriteBatch} or {@link #forEachOf}; returns 1, or 0 if it is gone. */
    public int rewrite(Tx tx, long projectId, Row before, Row after) throws SQLException {
        // why: the old key and time let PostgreSQL find the row through the person index of one partition;
        // the index keys follow the new id and insert id, or the row would stay findable under the old person.
        // why: the new content is sealed with the new person's key, so erasing that person destroys it too.
        IndexKeys keys = tx.keys();
        byte[] person = keys.person(projectId, after.distinctId());
        byte[] sealed = tx.sealer().seal(projectId, person, Sealer.Kind.EVENT, after.distinctId(), after.insertId(),
                after.propertiesJson());
        return tx.writeEvents("UPDATE events SET distinct_id = '', person_key = ?, insert_id = '', event_key = ?, "
                + "properties = '{}', sealed = ? WHERE project_id = ? AND person_key = ? AND time_ms = ? AND id = ?", ps -> {
                    ps.setBytes(1, person);
                    ps.setBytes(2, keys.event(projectId, before.event(), after.insertId()));
                    ps.setBytes(3, sealed);
                    ps.setLong(4, projectId);
                    ps.setBytes(5, keys.person(projectId, before.distinctId()));
                    ps.setLong(6, before.timeMs());
                    ps.setLong(7, before.id());
                });
    }

    /** Deletes one row read by {@link #rewriteBatch} whose content no longer opens; returns 1, or 0 if it is gone. */
    private static int deleteRow(Tx tx, long projectId, Row row) throws SQLException {
        return tx.writeEvents("DELETE FROM events WHERE project_id = ? AND time_ms = ? AND id = ?", ps -> {
            ps.setLong(1, projectId);
            ps.setLong(2, row.timeMs());
            ps.setLong(3, row.id());
        });
    }

    /** How many events these ids have (through the person index). */
    public long count(Tx tx, long projectId, Collection<String> distinctIds) throws SQLException {
        return Sql.countPersonKeysInChunks(tx, "SELECT COUNT(*) FROM events WHERE project_id = ? AND person_key IN (", projectId,
                distinctIds);
    }

    /**
     * How many events these ids have, counted up to {@code cap}: min(count, cap). It reads at most {@code cap} index
     * entries, so asking whether a person fits one batch costs at most a batch, not what the person holds (a full
     * count of a person of 120,000 events took up to 95 ms on PostgreSQL under lethe bench's load).
     */
    public long countUpTo(Tx tx, long projectId, Collection<String> distinctIds, long cap) throws SQLException {
        long total = 0;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            if (total >= cap) {
                break;
            }
            try (PreparedStatement ps = tx.prepareStatement(countUpToSql(chunk.size()))) {
                ps.setLong(1, projectId);
                int next = tx.keys().bindPersons(ps, 2, projectId, chunk);
                ps.setLong(next, cap - total);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
        }
        return Math.min(total, cap);
    }

    /** {@link #countUpTo}'s statement for {@code ids} person keys, binding the project, the keys, then the cap. */
    public static String countUpToSql(int ids) {
        return "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE project_id = ? AND person_key IN (" + Sql.placeholders(ids)
                + ") LIMIT ?) AS up_to";
    }

    public long count(long projectId, Collection<String> distinctIds) {
        return db.withConnection(c -> count(c, projectId, distinctIds));
    }

    /** All events of these ids, collected; for tests and small people only. */
    public List<EventRecord> list(long projectId, Collection<String> distinctIds) {
        List<EventRecord> out = new ArrayList<>();
        forEach(projectId, distinctIds, Long.MIN_VALUE, out::add);
        return out;
    }

    /** The earliest and latest event time of these ids (epoch ms), or null when they have no events; through the person index. */
    public long[] timeSpan(long projectId, Collection<String> distinctIds) {
        long[] span = null;
        for (List<String> chunk : Sql.chunks(distinctIds)) {
            long[] part = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT MIN(time_ms), MAX(time_ms) FROM events "
                        + "WHERE project_id = ? AND person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    ps.setLong(1, projectId);
                    c.keys().bindPersons(ps, 2, projectId, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long first = rs.getLong(1);
                        return rs.wasNull() ? null : new long[] {first, rs.getLong(2)};
                    }
                }
            });
            if (part != null) {
                span = span == null ? part : new long[] {Math.min(span[0], part[0]), Math.max(span[1], part[1])};
            }
        }
        return span;
    }
}
