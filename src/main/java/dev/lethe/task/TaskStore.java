package dev.lethe.task;

import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's side of the {@code tasks} table: queueing, reading, listing and cancelling.
 * Every read is scoped by project and kind, so a tracking id never reaches across projects.
 * The worker's side is {@link TaskClaims}.
 */
public final class TaskStore {

    /** A create's outcome: the new task, or the identical one already queued. */
    public record Queued(Task task, boolean existing) {
    }

    /** Writes what goes with a creation (its audit line) in the transaction that queues the task or finds its duplicate. */
    @FunctionalInterface
    public interface Alongside {
        Alongside NOTHING = (tx, queued) -> {
        };

        void write(Tx tx, Queued queued) throws SQLException;
    }

    public enum CancelOutcome { REVOKED, ALREADY_REVOKED, NOT_CANCELLABLE, NOT_FOUND }

    /**
     * The cancel: a move to REVOKED, guarded by the states the transition table lets move there. The row is found by
     * its tracking id alone, then checked against the caller's project and kind: given all three, PostgreSQL read the
     * task through {@code tasks_listing} (project, kind) and filtered every task of the project by tracking id.
     */
    public static final String CANCEL = "UPDATE tasks SET " + StatusSql.set(TaskStatus.REVOKED) + ", version = version + 1, "
            + "owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ? "
            + "WHERE id = (SELECT id FROM tasks WHERE tracking_id = ?) AND project_id = ? AND kind = ? AND "
            + StatusSql.movableTo(TaskStatus.REVOKED) + " RETURNING id";
    /** A task by tracking id, whatever its project: through the tracking id's unique index, the only one it names. */
    public static final String BY_TRACKING_ID = "SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE tracking_id = ?";

    private final Database db;
    private final Clock clock;
    /** Opens running tasks' sealed resolved ids; null leaves them unread. */
    private final TaskIdHashes hashes;
    private final TaskStateChanges changes;

    public TaskStore(Database db, Clock clock) {
        this(db, clock, null);
    }

    public TaskStore(Database db, Clock clock, TaskIdHashes hashes) {
        this(db, clock, hashes, TaskStateChanges.NONE);
    }

    /** @param changes told of each creation and cancel in its transaction (the webhook outbox) */
    public TaskStore(Database db, Clock clock, TaskIdHashes hashes, TaskStateChanges changes) {
        this.db = db;
        this.clock = clock;
        this.hashes = hashes;
        this.changes = changes;
    }

    /** Queues the task unless an identical one of the project is still unfinished; then returns that one. */
    public Queued create(NewTask request) {
        return create(request, Alongside.NOTHING);
    }

    /** Like {@link #create(NewTask)}, with {@code alongside} written in the same transaction. */
    public Queued create(NewTask request, Alongside alongside) {
        String requestKey = db.keys().request(request.projectId(), request.requestDigest());
        return db.inTransaction(c -> {
            Queued queued = queue(c, request, requestKey);
            alongside.write(c, queued);
            return queued;
        });
    }

    /** In the caller's transaction: the identical unfinished task, else a new PENDING one. */
    private Queued queue(Tx c, NewTask request, String requestKey) throws SQLException {
        String trackingId = TrackingId.generate().value();
        long now = clock.millis();
        Optional<Task> created;
        // why: the insert returns the new row and the unique index finds a duplicate, so the creation reads nothing
        // more while it holds the write lock (on SQLite the store's only one)
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tasks (tracking_id, project_id, kind, status, compliance_type, disclosure_type, suppress, "
                        + "requesting_user, distinct_ids, request_key, date_requested, updated_at, mode) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING RETURNING " + TaskRows.COLUMNS)) {
            ps.setString(1, trackingId);
            ps.setLong(2, request.projectId());
            ps.setString(3, request.kind().name());
            ps.setString(4, TaskStatus.PENDING.name());
            ps.setString(5, request.complianceType());
            ps.setString(6, request.disclosureType());
            ps.setInt(7, request.suppress() ? 1 : 0);
            ps.setString(8, request.requestingUser());
            ps.setString(9, TaskRows.json(request.distinctIds()));
            ps.setString(10, requestKey);
            ps.setLong(11, now);
            ps.setLong(12, now);
            ps.setString(13, DeletionMode.column(request.mode()));
            created = one(ps);
        }
        if (created.isEmpty()) {
            // why: the partial unique index tasks_one_active_request refused the row: an identical request is still
            // unfinished (queued by another caller since the read that looked for it)
            return new Queued(activeDuplicate(c, request.projectId(), request.kind(), requestKey)
                    .orElseThrow(() -> new IllegalStateException("task insert refused without a duplicate")), true);
        }
        changes.moved(c, request.projectId(), created.get().id(), TaskStatus.PENDING, now);
        return new Queued(created.get(), false);
    }

    /** The unfinished task identical to this request, if any. */
    public Optional<Task> findActive(NewTask request) {
        return db.withConnection(c -> activeDuplicate(c, request.projectId(), request.kind(),
                db.keys().request(request.projectId(), request.requestDigest())));
    }

    public Optional<Task> find(long projectId, TaskKind kind, String trackingId) {
        return db.withConnection(c -> find(c, projectId, kind, trackingId));
    }

    /**
     * The task only if it is of this project and kind. By tracking id alone, then checked here: given all three,
     * PostgreSQL read it through {@code tasks_listing} and filtered every task of the project (2.3 ms a status check
     * in lethe bench, against 0.05 ms).
     */
    private Optional<Task> find(Tx tx, long projectId, TaskKind kind, String trackingId) throws SQLException {
        return byTrackingId(tx, trackingId).filter(task -> task.projectId() == projectId && task.kind() == kind);
    }

    /** Any task by tracking id, whatever its project: for the engine, tests and administration only. */
    public Optional<Task> byTrackingId(String trackingId) {
        return db.withConnection(c -> byTrackingId(c, trackingId));
    }

    /**
     * The project's tasks of one kind, newest first, optionally of one status, strictly older
     * than the task with row id {@code beforeId} when given.
     */
    public List<Task> list(long projectId, TaskKind kind, TaskStatus status, Long beforeId, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM tasks "
                    + "WHERE project_id = ? AND kind = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR id < ?) "
                    + "ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setString(2, kind.name());
                String s = status == null ? null : status.name();
                ps.setString(3, s);
                ps.setString(4, s);
                ps.setObject(5, beforeId, java.sql.Types.BIGINT);
                ps.setObject(6, beforeId, java.sql.Types.BIGINT);
                ps.setInt(7, limit);
                List<Task> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(TaskRows.map(rs, hashes));
                    }
                }
                return out;
            }
        });
    }

    /** Tasks of the project not yet finished, all kinds: what the admission cap counts. */
    public long countUnfinished(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM tasks WHERE project_id = ? AND " + StatusSql.ACTIVE)) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Cancels in one compare-and-set on the status column: it and the worker's move to
     * STARTED ({@link TaskClaims#stageAndStart}) cannot both succeed.
     */
    public CancelOutcome cancel(long projectId, TaskKind kind, String trackingId) {
        long now = clock.millis();
        boolean revoked = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(CANCEL)) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setString(3, trackingId);
                ps.setLong(4, projectId);
                ps.setString(5, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    changes.moved(c, projectId, rs.getLong(1), TaskStatus.REVOKED, now);
                    return true;
                }
            }
        });
        if (revoked) {
            return CancelOutcome.REVOKED;
        }
        return find(projectId, kind, trackingId)
                .map(t -> t.status() == TaskStatus.REVOKED ? CancelOutcome.ALREADY_REVOKED : CancelOutcome.NOT_CANCELLABLE)
                .orElse(CancelOutcome.NOT_FOUND);
    }

    /**
     * Records that the suppression of this deletion was lifted, by whom; the first lift only.
     * Returns whether this call recorded it (false: it was lifted before).
     */
    public boolean recordSuppressionLifted(Tx tx, long taskId, String by, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE tasks SET suppression_lifted_at = ?, suppression_lifted_by = ?, "
                + "updated_at = ? WHERE id = ? AND suppression_lifted_at IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, by);
            ps.setLong(3, now);
            ps.setLong(4, taskId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The tasks of a request key, finished or not: {@link #activeDuplicate} picks the project's unfinished one of the
     * kind. The key alone, since it is a keyed hash of the project and the request: naming the project and kind too, or
     * the unfinished states, let PostgreSQL read the lookup through {@code tasks_listing} or {@code tasks_unfinished}
     * when statistics taken before a burst of requests tied their cost with the right index, and filter every task of
     * the burst (1.5-2.2 ms a creation in lethe bench). What {@code tasks_request_key} reads is this request's history.
     * Public so a test can check its plan.
     */
    public static final String SAME_REQUEST_SQL = "SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE request_key = ?";

    private Optional<Task> activeDuplicate(Tx tx, long projectId, TaskKind kind, String requestKey)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(SAME_REQUEST_SQL)) {
            ps.setString(1, requestKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong("project_id") == projectId && kind.name().equals(rs.getString("kind"))
                            && TaskStatus.valueOf(rs.getString("status")).isActive()) {
                        return Optional.of(TaskRows.map(rs, hashes));
                    }
                }
                return Optional.empty();
            }
        }
    }

    private Optional<Task> byTrackingId(Tx tx, String trackingId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(BY_TRACKING_ID)) {
            ps.setString(1, trackingId);
            return one(ps);
        }
    }

    private Optional<Task> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(TaskRows.map(rs, hashes)) : Optional.empty();
        }
    }
}
