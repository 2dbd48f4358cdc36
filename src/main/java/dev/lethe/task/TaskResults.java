package dev.lethe.task;

import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What other packages may ask of finished tasks, in their own transaction: the archive
 * bookkeeping of retrievals reads and forgets results here, so {@code task/} stays the one
 * writer of the {@code tasks} table.
 */
public final class TaskResults {

    /**
     * The project's deletions finished since a time (binding the project, then the time), through the partial index
     * {@code tasks_deletions_finished}, whose predicate the statement repeats word for word so both stores can use it.
     * Public so a test can check its plan.
     */
    public static final String DELETIONS_FINISHED_SINCE = "SELECT distinct_ids, person_ids FROM tasks WHERE project_id = ? "
            + "AND kind = '" + TaskKind.DELETION.name() + "' AND " + StatusSql.set(TaskStatus.SUCCESS)
            + " AND finished_at >= ?";

    private final TaskIdHashes hashes;

    public TaskResults(TaskIdHashes hashes) {
        this.hashes = hashes;
    }

    /**
     * Whether a deletion of any of these ids (requested or resolved, in clear or hashed) reached
     * SUCCESS at or after {@code sinceMs}.
     */
    public boolean deletionFinishedSince(Tx tx, long projectId, Collection<String> ids, long sinceMs) throws SQLException {
        Set<String> wanted = new HashSet<>(ids);
        // why: a finished deletion keeps its resolved ids (and, after the retention, its requested ones) as keyed hashes.
        wanted.addAll(hashes.hashAll(projectId, ids));
        try (PreparedStatement ps = tx.prepareStatement(DELETIONS_FINISHED_SINCE)) {
            ps.setLong(1, projectId);
            ps.setLong(2, sinceMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int column = 1; column <= 2; column++) {
                        List<String> stored = hashes.openList(rs.getString(column));
                        if (stored != null && stored.stream().anyMatch(wanted::contains)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * Forgets a task's result: the path goes and the task keeps only the fact that it was
     * purged, so its link stops working. The row itself stays for audit; no state moves.
     */
    public void markResultPurged(Tx tx, long taskId, long nowMs) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "UPDATE tasks SET result_purged = 1, result_path = NULL, version = version + 1, updated_at = ? WHERE id = ?")) {
            ps.setLong(1, nowMs);
            ps.setLong(2, taskId);
            ps.executeUpdate();
        }
    }
}
