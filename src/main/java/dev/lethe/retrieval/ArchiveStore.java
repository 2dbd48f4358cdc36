package dev.lethe.retrieval;

import dev.lethe.store.Sql;
import dev.lethe.store.Tx;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskResults;
import dev.lethe.task.TaskStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The archives of retrievals: {@code archive_subjects} (which archive holds which ids), read
 * together with the result columns of {@code tasks} (which archives are live, expired or purged).
 * The {@code tasks} rows themselves are written by {@code task/} ({@link TaskResults}) only.
 */
public final class ArchiveStore {

    /** A retrieval task as far as its archive is concerned. */
    public record Archive(long taskId, long projectId, String trackingId, String kind, String status,
                          String resultPath, Long expiresAt, boolean purged) {

        /** Whether the archive may still be downloaded at {@code nowMs}. */
        public boolean liveAt(long nowMs) {
            return TaskKind.RETRIEVAL.name().equals(kind) && TaskStatus.SUCCESS.name().equals(status) && !purged && resultPath != null
                    && expiresAt != null && expiresAt > nowMs;
        }
    }

    private final TaskResults results;

    public ArchiveStore(TaskIdHashes hashes) {
        this.results = new TaskResults(hashes);
    }

    private static final String COLUMNS =
            "t.id, t.project_id, t.tracking_id, t.kind, t.status, t.result_path, t.result_expires_at, t.result_purged";

    /**
     * Records that the archive of this task holds these ids, by their person keys only: the ids are
     * looked up, never read back, so the table keeps no id in clear.
     */
    public void recordSubjects(Tx tx, long taskId, long projectId, Collection<String> ids) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO archive_subjects (task_id, project_id, person_key) VALUES (?, ?, ?) "
                        + "ON CONFLICT (project_id, person_key, task_id) DO NOTHING")) {
            for (String id : ids) {
                ps.setLong(1, taskId);
                ps.setLong(2, projectId);
                ps.setBytes(3, tx.keys().person(projectId, id));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every archive, purged or not, that holds any of these ids (through the subjects' primary key). */
    public List<Archive> holding(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        List<Archive> out = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = tx.prepareStatement("SELECT DISTINCT " + COLUMNS
                    + " FROM archive_subjects s JOIN tasks t ON t.id = s.task_id"
                    + " WHERE s.project_id = ? AND s.person_key IN (" + Sql.placeholders(chunk.size()) + ")")) {
                ps.setLong(1, projectId);
                tx.keys().bindPersons(ps, 2, projectId, chunk);
                out.addAll(read(ps));
            }
        }
        return out;
    }

    /** Archives whose expiry has passed and that are not purged yet. */
    public List<Archive> expired(Tx tx, long nowMs) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + COLUMNS
                + " FROM tasks t WHERE t.result_expires_at <= ? AND t.result_purged = 0")) {
            ps.setLong(1, nowMs);
            return read(ps);
        }
    }

    /**
     * Whether a deletion of any of these ids reached SUCCESS at or after {@code sinceMs}: an
     * archive written meanwhile may hold data that deletion removed, and must not be published.
     */
    public boolean deletedSince(Tx tx, long projectId, Collection<String> ids, long sinceMs) throws SQLException {
        return results.deletionFinishedSince(tx, projectId, ids, sinceMs);
    }

    public Optional<Archive> byTrackingId(Tx tx, String trackingId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + COLUMNS + " FROM tasks t WHERE t.tracking_id = ?")) {
            ps.setString(1, trackingId);
            return read(ps).stream().findFirst();
        }
    }

    /**
     * Forgets the archive: its subject rows go, and the task keeps only the fact that it was
     * purged, so its link stops working. The task row itself stays for audit.
     */
    public void markPurged(Tx tx, long taskId, long nowMs) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM archive_subjects WHERE task_id = ?")) {
            ps.setLong(1, taskId);
            ps.executeUpdate();
        }
        ArchivePasswords.forget(tx, taskId);
        results.markResultPurged(tx, taskId, nowMs);
    }

    private static List<Archive> read(PreparedStatement ps) throws SQLException {
        List<Archive> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long expires = rs.getLong(7);
                Long expiresAt = rs.wasNull() ? null : expires;
                out.add(new Archive(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), expiresAt, rs.getInt(8) != 0));
            }
        }
        return out;
    }
}
