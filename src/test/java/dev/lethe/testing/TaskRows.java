package dev.lethe.testing;

import dev.lethe.app.LetheApp;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.task.Task;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TrackingId;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

/**
 * Inserts a task row already in STARTED, as the task engine leaves it before calling an
 * executor (person ids resolved as STAGING would), so executors can be driven directly.
 */
public final class TaskRows {

    private final TaskKind kind;
    private final long projectId;
    private final List<String> distinctIds;
    private String compliance = "GDPR";
    private String disclosure = "Data";
    private boolean suppress;
    private boolean sealIds;

    private TaskRows(TaskKind kind, long projectId, List<String> distinctIds) {
        this.kind = kind;
        this.projectId = projectId;
        this.distinctIds = distinctIds;
    }

    public static TaskRows deletion(long projectId, String... ids) {
        return new TaskRows(TaskKind.DELETION, projectId, List.of(ids));
    }

    public static TaskRows retrieval(long projectId, String... ids) {
        return new TaskRows(TaskKind.RETRIEVAL, projectId, List.of(ids));
    }

    public TaskRows compliance(String v) { compliance = v; return this; }
    public TaskRows disclosure(String v) { disclosure = v; return this; }
    public TaskRows suppress(boolean v) { suppress = v; return this; }

    /**
     * Stores the resolved ids sealed, as the engine's move to STARTED does, instead of in clear: for the tests that
     * read the store's pages, where an old row version with the ids in clear would outlive a VACUUM held back by a
     * snapshot of autovacuum.
     */
    public TaskRows sealingIds() { sealIds = true; return this; }

    /** Inserts the row with the person resolved now and returns it as the engine would pass it. */
    public Task insert(LetheApp app) {
        List<String> personIds = List.copyOf(app.resolver().resolve(projectId, distinctIds));
        long now = app.clock().millis();
        long id = app.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tasks (tracking_id, project_id, kind, status, compliance_type, disclosure_type, suppress, "
                            + "requesting_user, distinct_ids, request_key, date_requested, person_ids, started_at, "
                            + "owner, lease_until, attempts, updated_at) "
                            + "VALUES (?, ?, ?, 'STARTED', ?, ?, ?, 'dpo@example.com', ?, ?, ?, ?, ?, 'test', ?, 1, ?) RETURNING id")) {
                ps.setString(1, TrackingId.generate().value());
                ps.setLong(2, projectId);
                ps.setString(3, kind.name());
                ps.setString(4, compliance);
                ps.setString(5, disclosure);
                ps.setInt(6, suppress ? 1 : 0);
                ps.setString(7, Json.write(distinctIds));
                ps.setString(8, UUID.randomUUID().toString());
                ps.setLong(9, now);
                ps.setString(10, sealIds ? app.taskIdHashes().sealList(personIds) : Json.write(personIds));
                ps.setLong(11, now);
                ps.setLong(12, now + 30_000);
                ps.setLong(13, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return sealIds ? load(app.db(), id, app.taskIdHashes()) : load(app.db(), id);
    }

    /** The task as stored now (a rerun after a crash starts from this). */
    public static Task load(Database db, long id) {
        return load(db, id, null);
    }

    /** As {@link #load(Database, long)}, opening sealed resolved ids with {@code hashes}. */
    public static Task load(Database db, long id, TaskIdHashes hashes) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + dev.lethe.task.TaskRows.COLUMNS + " FROM tasks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return dev.lethe.task.TaskRows.map(rs, hashes);
                }
            }
        });
    }
}
