package dev.lethe.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code audit_log} table: every GDPR request created, cancelled or downloaded, through the
 * API or the console. The people concerned appear only as keyed hashes of their ids (HMAC under
 * the instance key, scoped to the project), so the log holds no id in clear after a deletion, yet
 * an auditor who knows an id can still find its lines ({@link #idHash}).
 */
public final class AuditLog {

    /** What is recorded about one event, before it gets its row id and time. */
    public record Event(Long projectId, String action, String taskKind, String trackingId, String actor, String actorKind,
                        Origin origin, String outcome, Collection<String> distinctIds) {
    }

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "id, at, project_id, action, task_kind, tracking_id, actor, actor_kind, channel, ip, "
            + "outcome, id_count, id_hashes";

    private final Database db;
    private final InstanceKey key;
    private final Clock clock;

    public AuditLog(Database db, InstanceKey key, Clock clock) {
        this.db = db;
        this.key = key;
        this.clock = clock;
    }

    /** The keyed hash an id is logged under in this project. */
    public String idHash(long projectId, String distinctId) {
        return key.sign("audit-id:" + projectId + ":" + distinctId).substring(0, 32);
    }

    public void record(Event e) {
        db.inTransaction(c -> {
            record(c, e);
            return null;
        });
    }

    /** Records in the caller's transaction: the line commits, or rolls back, with what it records. */
    public void record(Tx tx, Event e) throws SQLException {
        List<String> hashes = null;
        if (e.distinctIds() != null && e.projectId() != null) {
            hashes = e.distinctIds().stream().map(id -> idHash(e.projectId(), id)).toList();
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO audit_log (at, project_id, action, task_kind, tracking_id, "
                + "actor, actor_kind, channel, ip, outcome, id_count, id_hashes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, clock.millis());
            ps.setObject(2, e.projectId(), Types.BIGINT);
            ps.setString(3, e.action());
            ps.setString(4, e.taskKind());
            ps.setString(5, e.trackingId());
            ps.setString(6, e.actor());
            ps.setString(7, e.actorKind());
            ps.setString(8, e.origin().channel());
            ps.setString(9, e.origin().ip());
            ps.setString(10, e.outcome());
            ps.setInt(11, hashes == null ? 0 : hashes.size());
            ps.setString(12, hashes == null ? null : Json.write(hashes));
            ps.executeUpdate();
        }
    }

    /**
     * Records, and lets the caller's answer go out even if the store refuses the line: the
     * request itself already happened (or was refused), and a log failure is logged loudly.
     */
    public void recordQuietly(Event e) {
        try {
            record(e);
        } catch (RuntimeException failure) {
            log.error("could not write an audit line ({} {})", e.action(), e.trackingId(), failure);
        }
    }

    /** The project's lines, newest first, strictly older than {@code beforeId} when given. */
    public List<AuditEntry> page(long projectId, Long beforeId, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE project_id = ? "
                    + "AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setObject(2, beforeId, Types.BIGINT);
                ps.setObject(3, beforeId, Types.BIGINT);
                ps.setInt(4, limit);
                return collect(ps);
            }
        });
    }

    /** Every line after {@code afterId} (oldest first), optionally of one project, in pages: for {@code lethe admin audit}. */
    public void forEach(Long projectId, long afterId, Consumer<AuditEntry> sink) {
        long cursor = afterId;
        while (true) {
            long from = cursor;
            List<AuditEntry> rows = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE id > ? "
                        + "AND (? IS NULL OR project_id = ?) ORDER BY id LIMIT 1000")) {
                    ps.setLong(1, from);
                    ps.setObject(2, projectId, Types.BIGINT);
                    ps.setObject(3, projectId, Types.BIGINT);
                    return collect(ps);
                }
            });
            rows.forEach(sink);
            if (rows.size() < 1000) {
                return;
            }
            cursor = rows.get(rows.size() - 1).id();
        }
    }

    private static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("audit_log.id_hashes is not a JSON array of strings", e);
        }
    }

    private static List<AuditEntry> collect(PreparedStatement ps) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long project = rs.getLong(3);
                Long projectId = rs.wasNull() ? null : project;
                String hashes = rs.getString(13);
                out.add(new AuditEntry(rs.getLong(1), rs.getLong(2), projectId, rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getInt(12), hashes == null ? null : strings(hashes)));
            }
        }
        return out;
    }
}
