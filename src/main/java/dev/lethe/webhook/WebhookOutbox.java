package dev.lethe.webhook;

import dev.lethe.crypto.Secrets;
import dev.lethe.store.Tx;
import dev.lethe.task.TaskStateChanges;
import dev.lethe.task.TaskStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Queues a delivery for each webhook of the task's project that wants the event, in the transaction
 * that moves the task: the move and its deliveries commit together, and the task never waits on a
 * receiver. A row names the task by row id, the event, the state and the time; nothing else.
 */
public final class WebhookOutbox implements TaskStateChanges {

    static final String PENDING = "pending";

    @Override
    public void moved(Tx tx, long taskId, TaskStatus to, long at) throws SQLException {
        moved(tx, taskId, List.of(to), at);
    }

    /** One read of the project's webhooks for all the moves, then a delivery for each webhook and move it wants. */
    @Override
    public void moved(Tx tx, long taskId, List<TaskStatus> moves, long at) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Set<WebhookEvent>> wants = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT w.id, w.events FROM webhooks w "
                + "JOIN tasks t ON t.project_id = w.project_id WHERE t.id = ? ORDER BY w.id")) {
            ps.setLong(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    wants.add(WebhookEvent.parseList(rs.getString(2)));
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, task_id, message_id, event, "
                + "task_status, occurred_at, outcome, attempts, next_attempt_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 0)")) {
            int rows = 0;
            for (TaskStatus to : moves) {
                WebhookEvent event = WebhookEvent.of(to);
                for (int i = 0; i < ids.size(); i++) {
                    if (!wants.get(i).contains(event)) {
                        continue;
                    }
                    ps.setLong(1, ids.get(i));
                    ps.setLong(2, taskId);
                    ps.setString(3, newMessageId());
                    ps.setString(4, event.wireName());
                    ps.setString(5, to.name());
                    ps.setLong(6, at);
                    ps.setString(7, PENDING);
                    ps.setLong(8, at);
                    ps.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
    }

    /** The {@code webhook-id}: one per message, the same on every retry, so receivers can drop repeats. */
    static String newMessageId() {
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.randomBytes(18));
    }
}
