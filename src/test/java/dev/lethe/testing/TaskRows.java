package dev.lethe.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.app.LetheApp;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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

    /** Inserts the row with the person resolved now and returns it as the engine would pass it. */
    public Task insert(LetheApp app) {
        List<String> personIds = List.copyOf(app.resolver().resolve(projectId, distinctIds));
        long now = app.clock().millis();
        long id = app.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tasks (tracking_id, project_id, kind, status, compliance_type, disclosure_type, suppress, "
                            + "requesting_user, distinct_ids, request_key, date_requested, person_ids, started_at, "
                            + "owner, lease_until, attempts, updated_at) "
                            + "VALUES (?, ?, ?, 'STARTED', ?, ?, ?, 'dpo@example.com', ?, ?, ?, ?, ?, 'test', ?, 1, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, UUID.randomUUID().toString().replace("-", ""));
                ps.setLong(2, projectId);
                ps.setString(3, kind.name());
                ps.setString(4, compliance);
                ps.setString(5, disclosure);
                ps.setInt(6, suppress ? 1 : 0);
                ps.setString(7, Json.write(distinctIds));
                ps.setString(8, UUID.randomUUID().toString());
                ps.setLong(9, now);
                ps.setString(10, Json.write(personIds));
                ps.setLong(11, now);
                ps.setLong(12, now + 30_000);
                ps.setLong(13, now);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return load(app.db(), id);
    }

    /** The task as stored now (a rerun after a crash starts from this). */
    public static Task load(Database db, long id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, tracking_id, project_id, kind, status, compliance_type, disclosure_type, suppress, requesting_user, "
                            + "distinct_ids, request_key, date_requested, person_ids, counts, error, started_at, finished_at, "
                            + "result_path, result_expires_at, result_purged, version, owner, lease_until, attempts, updated_at "
                            + "FROM tasks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Task(rs.getLong(1), rs.getString(2), rs.getLong(3), TaskKind.valueOf(rs.getString(4)),
                            TaskStatus.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getInt(8) != 0,
                            rs.getString(9), ids(rs.getString(10)), rs.getString(11), rs.getLong(12), ids(rs.getString(13)),
                            rs.getString(14) == null ? null : (ObjectNode) Json.readTrusted(rs.getString(14)), rs.getString(15),
                            nullableLong(rs, 16), nullableLong(rs, 17), rs.getString(18),
                            nullableLong(rs, 19), rs.getInt(20) != 0, rs.getLong(21), rs.getString(22),
                            nullableLong(rs, 23), rs.getInt(24), rs.getLong(25));
                }
            }
        });
    }

    private static Long nullableLong(ResultSet rs, int column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static List<String> ids(String json) {
        if (json == null) {
            return List.of();
        }
        return Json.MAPPER.convertValue(Json.readTrusted(json), new TypeReference<List<String>>() { });
    }
}
