package dev.lethe.webhook;

import dev.lethe.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The delivery log as an operator reads it ({@code lethe admin webhook deliveries}): newest first, with every attempt. */
public final class DeliveryLog {

    /** One attempt: when, and the receiver's status code or the error. */
    public record AttemptRow(long at, Integer statusCode, String error, long durationMs) {
    }

    /**
     * One delivery. {@code nextAttemptAt} is meaningful while {@code outcome} is {@code pending};
     * {@code trackingId} is the task's handle (not a person's id).
     */
    public record Entry(long id, long webhookId, String messageId, String event, String trackingId, String taskStatus,
                        long occurredAt, String outcome, int attempts, Long nextAttemptAt, Integer lastStatusCode,
                        String lastError, Long finishedAt, List<AttemptRow> attemptLog) {
    }

    private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);

    private final Database db;

    public DeliveryLog(Database db) {
        this.db = db;
    }

    /** The project's deliveries, optionally of one webhook, newest first, at most {@code limit}. */
    public List<Entry> recent(long projectId, Long webhookId, int limit) {
        return db.withConnection(tx -> {
            Map<Long, Entry> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = tx.prepareStatement("SELECT d.id, d.webhook_id, d.message_id, d.event, t.tracking_id, "
                    + "d.task_status, d.occurred_at, d.outcome, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, "
                    + "d.finished_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                    + "JOIN tasks t ON t.id = d.task_id WHERE w.project_id = ? AND (? IS NULL OR d.webhook_id = ?) "
                    + "ORDER BY d.id DESC LIMIT ?")) {
                ps.setLong(1, projectId);
                ps.setObject(2, webhookId, Types.BIGINT);
                ps.setObject(3, webhookId, Types.BIGINT);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String outcome = rs.getString(8);
                        byId.put(rs.getLong(1), new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getLong(7), outcome, rs.getInt(9),
                                WebhookOutbox.PENDING.equals(outcome) ? rs.getLong(10) : null, nullableInt(rs, 11),
                                rs.getString(12), nullableLong(rs, 13), new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement ps = tx.prepareStatement("SELECT attempted_at, status_code, error, duration_ms "
                    + "FROM webhook_attempts WHERE delivery_id = ? ORDER BY id")) {
                for (Entry e : byId.values()) {
                    ps.setLong(1, e.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            e.attemptLog().add(new AttemptRow(rs.getLong(1), nullableInt(rs, 2), rs.getString(3), rs.getLong(4)));
                        }
                    }
                }
            }
            List<Entry> out = new ArrayList<>();
            byId.values().forEach(e -> out.add(new Entry(e.id(), e.webhookId(), e.messageId(), e.event(), e.trackingId(),
                    e.taskStatus(), e.occurredAt(), e.outcome(), e.attempts(), e.nextAttemptAt(), e.lastStatusCode(),
                    e.lastError(), e.finishedAt(), List.copyOf(e.attemptLog()))));
            return out;
        });
    }

    /**
     * Removes the deliveries settled (delivered or failed) before {@code before}, with their attempts,
     * so the log keeps a window instead of growing with every task; returns how many went.
     */
    public int prune(long before) {
        return db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM webhook_attempts WHERE delivery_id IN "
                    + "(SELECT id FROM webhook_deliveries WHERE outcome <> 'pending' AND finished_at < ?)")) {
                ps.setLong(1, before);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = tx.prepareStatement(
                    "DELETE FROM webhook_deliveries WHERE outcome <> 'pending' AND finished_at < ?")) {
                ps.setLong(1, before);
                return ps.executeUpdate();
            }
        });
    }

    /** For the scheduler: a failed pass is logged and tried again at the next one. */
    public void pruneLogged(long before) {
        try {
            int n = prune(before);
            if (n > 0) {
                log.info("pruned {} settled webhook deliveries from the delivery log", n);
            }
        } catch (RuntimeException e) {
            log.warn("pruning the webhook delivery log failed; retrying at the next pass", e);
        }
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
