package dev.lethe.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
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

    /** A row as stored: a running task's sealed resolved ids stay unread (null). */
    public static Task map(ResultSet rs) throws SQLException {
        return map(rs, null);
    }

    /** A row with a running task's sealed resolved ids opened by {@code hashes}' key (none: left null). */
    public static Task map(ResultSet rs, TaskIdHashes hashes) throws SQLException {
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
                idList(rs.getString("person_ids"), hashes),
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

    /** A stored id list: a JSON list, or an object holding it sealed, opened when {@code hashes} is given. */
    static List<String> idList(String json, TaskIdHashes hashes) {
        if (json == null) {
            return null;
        }
        JsonNode node = Json.readTrusted(json);
        if (node.isObject()) {
            return hashes == null ? null : strings(hashes.unseal(node.path(TaskIdHashes.SEALED).asText()));
        }
        return Json.MAPPER.convertValue(node, STRINGS);
    }

    private static ObjectNode counts(String json) {
        return json == null ? null : (ObjectNode) Json.readTrusted(json);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
