package dev.lethe.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The column list of {@code tasks} and the mapping of one row to a {@link Task}: the one mapper, tests included. */
public final class TaskRows {

    public static final String COLUMNS = "id, tracking_id, project_id, kind, status, compliance_type, disclosure_type, "
            + "suppress, requesting_user, distinct_ids, request_key, date_requested, person_ids, counts, error, "
            + "started_at, finished_at, result_path, result_expires_at, result_purged, version, owner, lease_until, "
            + "attempts, updated_at, mode";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private TaskRows() {
    }

    public static Task map(ResultSet rs) throws SQLException {
        return new Task(
                rs.getLong("id"),
                rs.getString("tracking_id"),
                rs.getLong("project_id"),
                TaskKind.valueOf(rs.getString("kind")),
                TaskStatus.valueOf(rs.getString("status")),
                rs.getString("compliance_type"),
                rs.getString("disclosure_type"),
                rs.getInt("suppress") != 0,
                rs.getString("requesting_user"),
                strings(rs.getString("distinct_ids")),
                rs.getString("request_key"),
                rs.getLong("date_requested"),
                strings(rs.getString("person_ids")),
                counts(rs.getString("counts")),
                rs.getString("error"),
                nullableLong(rs, "started_at"),
                nullableLong(rs, "finished_at"),
                rs.getString("result_path"),
                nullableLong(rs, "result_expires_at"),
                rs.getInt("result_purged") != 0,
                rs.getLong("version"),
                rs.getString("owner"),
                nullableLong(rs, "lease_until"),
                rs.getInt("attempts"),
                rs.getLong("updated_at"),
                DeletionMode.fromColumn(rs.getString("mode")));
    }

    static String json(Object value) {
        return value == null ? null : Json.write(value);
    }

    private static List<String> strings(String json) {
        return json == null ? null : Json.MAPPER.convertValue(Json.readTrusted(json), STRINGS);
    }

    private static ObjectNode counts(String json) {
        return json == null ? null : (ObjectNode) Json.readTrusted(json);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
