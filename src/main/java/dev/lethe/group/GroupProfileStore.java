package dev.lethe.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.store.Database;

import dev.lethe.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Group profiles ({@code /groups}): one JSON property map per (project, group key, group id), e.g.
 * ({@code "Company"}, {@code "Acme"}). They describe companies or teams, not people: no distinct_id
 * keys them, so GDPR deletions and retrievals of a person do not reach them (docs/ingestion.md).
 */
public final class GroupProfileStore {

    private final Database db;

    public GroupProfileStore(Database db) {
        this.db = db;
    }

    public Optional<ObjectNode> get(long projectId, String groupKey, String groupId) {
        return db.withConnection(c -> get(c, projectId, groupKey, groupId));
    }

    private static Optional<ObjectNode> get(Tx c, long projectId, String groupKey, String groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT properties FROM group_profiles WHERE project_id = ? AND group_key = ? AND group_id = ?")) {
            ps.setLong(1, projectId);
            ps.setString(2, groupKey);
            ps.setString(3, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of((ObjectNode) Json.readTrusted(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Applies a change to a group profile within the caller's transaction. The change receives the
     * current properties (empty when there is no profile) and returns the new ones, or null to
     * delete the profile.
     */
    public void update(Tx c, long projectId, String groupKey, String groupId, long now, UnaryOperator<ObjectNode> change)
            throws SQLException {
        // why: two concurrent updates of one group on PostgreSQL would otherwise both read the old
        // properties and the second write lose the first's change (as for person profiles).
        c.lockRowForUpdate(lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "INSERT INTO group_profiles (project_id, group_key, group_id, properties, updated_at) VALUES (?, ?, ?, "
                            + lock.jsonParam() + ", ?) ON CONFLICT (project_id, group_key, group_id) DO NOTHING")) {
                ps.setLong(1, projectId);
                ps.setString(2, groupKey);
                ps.setString(3, groupId);
                ps.setString(4, "{}");
                ps.setLong(5, now);
                ps.executeUpdate();
            }
        }, lock -> {
            try (PreparedStatement ps = lock.prepareStatement(
                    "SELECT 1 FROM group_profiles WHERE project_id = ? AND group_key = ? AND group_id = ? FOR UPDATE")) {
                ps.setLong(1, projectId);
                ps.setString(2, groupKey);
                ps.setString(3, groupId);
                ps.executeQuery().close();
            }
        });
        ObjectNode next = change.apply(get(c, projectId, groupKey, groupId).orElseGet(Json::object));
        if (next == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM group_profiles WHERE project_id = ? AND group_key = ? AND group_id = ?")) {
                ps.setLong(1, projectId);
                ps.setString(2, groupKey);
                ps.setString(3, groupId);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO group_profiles (project_id, group_key, group_id, properties, updated_at) VALUES (?, ?, ?, "
                        + c.jsonParam() + ", ?) ON CONFLICT (project_id, group_key, group_id) "
                        + "DO UPDATE SET properties = excluded.properties, updated_at = excluded.updated_at")) {
            ps.setLong(1, projectId);
            ps.setString(2, groupKey);
            ps.setString(3, groupId);
            ps.setString(4, Json.write(next));
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    /** {@link #update(Connection, long, String, String, long, UnaryOperator)} in a transaction of its own. */
    public void update(long projectId, String groupKey, String groupId, long now, UnaryOperator<ObjectNode> change) {
        db.inTransaction(c -> {
            update(c, projectId, groupKey, groupId, now, change);
            return null;
        });
    }

    /**
     * One page of the profiles of a group key, in group id order, after {@code afterGroupId}
     * ({@code null} for the first page): what an engage query with {@code data_group_id} reads. A
     * page is one range scan of the primary key, so paging through a large key costs no more
     * memory than a page.
     */
    public List<GroupProfile> page(long projectId, String groupKey, String afterGroupId, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT group_id, properties, updated_at FROM group_profiles WHERE project_id = ? AND group_key = ? "
                            + "AND group_id > ? ORDER BY group_id LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setString(2, groupKey);
                ps.setString(3, afterGroupId == null ? "" : afterGroupId);
                ps.setInt(4, limit);
                List<GroupProfile> page = new ArrayList<>(Math.min(limit, 1024));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new GroupProfile(groupKey, rs.getString(1), (ObjectNode) Json.readTrusted(rs.getString(2)),
                                rs.getLong(3)));
                    }
                }
                return page;
            }
        });
    }

    /** The group keys the project has profiles for, sorted. */
    public List<String> keys(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT group_key FROM group_profiles WHERE project_id = ? ORDER BY group_key")) {
                ps.setLong(1, projectId);
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                return keys;
            }
        });
    }
}
