package dev.lethe.task;

import dev.lethe.json.Json;
import dev.lethe.store.Compactor;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the ids a finished task keeps in clear with keyed hashes ({@link TaskIdHashes}): the
 * resolved ids ({@code person_ids}, which include linked ids nobody asked for) at once, the
 * requested ids ({@code distinct_ids}) and the request key once the task finished more than the
 * retention ago. Then has the store drop the old row versions (PostgreSQL VACUUM, SQLite rebuild),
 * since an UPDATE leaves them behind. Run periodically; every step is safe to repeat.
 */
public final class TaskIdRetention {

    private static final Logger log = LoggerFactory.getLogger(TaskIdRetention.class);

    /** Nothing hashed yet; the resolved ids hashed; every id hashed ({@code tasks.ids_hashed}). */
    static final int CLEAR = 0;
    static final int PERSON_HASHED = 1;
    static final int ALL_HASHED = 2;

    private static final int BATCH = 500;

    private final Database db;
    private final TaskIdHashes hashes;
    private final Duration retention;
    private final Compactor compactor;
    private final Clock clock;

    public TaskIdRetention(Database db, TaskIdHashes hashes, Duration retention, Compactor compactor, Clock clock) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("the id retention cannot be negative");
        }
        this.db = db;
        this.hashes = hashes;
        this.retention = retention;
        this.compactor = compactor;
        this.clock = clock;
    }

    private record Row(long id, long projectId, String distinctIds, String personIds, String requestKey, long finishedAt,
                       int state) {
    }

    /** One pass over the finished tasks; returns how many rows it rewrote. */
    public int applyOnce() {
        long cutoff = clock.millis() - retention.toMillis();
        int total = 0;
        while (true) {
            int rewritten = db.inTransaction(tx -> rewriteBatch(tx, cutoff));
            total += rewritten;
            if (rewritten < BATCH) {
                break;
            }
        }
        if (total > 0) {
            // why: the UPDATE leaves the previous row versions, ids in clear, until they are cleaned.
            db.cleanRewrittenRows("tasks");
            compactor.request();
        }
        return total;
    }

    /** For the scheduler: a failed pass is logged and tried again at the next one. */
    public void applyLogged() {
        try {
            int n = applyOnce();
            if (n > 0) {
                log.info("replaced the ids of {} finished tasks with keyed hashes", n);
            }
        } catch (RuntimeException e) {
            log.warn("hashing the ids of finished tasks failed; retrying at the next pass", e);
        }
    }

    private int rewriteBatch(Tx tx, long cutoff) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT id, project_id, distinct_ids, person_ids, request_key, "
                + "finished_at, ids_hashed FROM tasks WHERE finished_at IS NOT NULL AND (ids_hashed = ? "
                + "OR (ids_hashed = ? AND finished_at <= ?)) ORDER BY id LIMIT ?")) {
            ps.setInt(1, CLEAR);
            ps.setInt(2, PERSON_HASHED);
            ps.setLong(3, cutoff);
            ps.setInt(4, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getInt(7)));
                }
            }
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE tasks SET distinct_ids = ?, person_ids = ?, request_key = ?, "
                + "ids_hashed = ? WHERE id = ? AND ids_hashed = ?")) {
            for (Row row : rows) {
                boolean expired = row.finishedAt() <= cutoff;
                String personIds = row.state() == CLEAR ? hashedJson(row.projectId(), row.personIds()) : row.personIds();
                ps.setString(1, expired ? hashedJson(row.projectId(), row.distinctIds()) : row.distinctIds());
                ps.setString(2, personIds);
                ps.setString(3, expired ? hashes.hash(row.projectId(), "request:" + row.requestKey()) : row.requestKey());
                ps.setInt(4, expired ? ALL_HASHED : PERSON_HASHED);
                ps.setLong(5, row.id());
                ps.setInt(6, row.state());
                ps.addBatch();
            }
            if (!rows.isEmpty()) {
                ps.executeBatch();
            }
        }
        return rows.size();
    }

    /** A JSON list of ids as the same list of their hashes; null stays null. */
    String hashedJson(long projectId, String json) {
        if (json == null) {
            return null;
        }
        return Json.write(hashes.hashAll(projectId, hashes.openList(json)));
    }
}
