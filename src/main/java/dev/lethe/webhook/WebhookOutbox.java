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
    public void moved(Tx tx, long projectId, long taskId, TaskStatus to, long at) throws SQLException {
        moved(tx, projectId, taskId, List.of(to), at);
    }

    /** A delivery for each of the project's webhooks and each move it wants. */
    @Override
    public void moved(Tx tx, long projectId, long taskId, List<TaskStatus> moves, long at) throws SQLException {
        // why: read once a transaction, which may move a whole group of the project's tasks (32 claimed, or finished,
        // together): one read a task was about a tenth of a deletion's statements
        List<Wanting> webhooks = tx.readOnce(new WebhooksOf(projectId), t -> webhooksOf(t, projectId));
        if (webhooks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, task_id, message_id, event, "
                + "task_status, occurred_at, outcome, attempts, next_attempt_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 0)")) {
            int rows = 0;
            for (TaskStatus to : moves) {
                WebhookEvent event = WebhookEvent.of(to);
                for (Wanting webhook : webhooks) {
                    if (!webhook.events().contains(event)) {
                        continue;
                    }
                    ps.setLong(1, webhook.id());
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

    /** The key of a project's webhooks in {@link Tx#readOnce}. */
    private record WebhooksOf(long projectId) {
    }

    /** One webhook of the project and the events it wants. */
    private record Wanting(long id, Set<WebhookEvent> events) {
    }

    private static List<Wanting> webhooksOf(Tx tx, long projectId) throws SQLException {
        List<Wanting> out = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT id, events FROM webhooks WHERE project_id = ? ORDER BY id")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Wanting(rs.getLong(1), WebhookEvent.parseList(rs.getString(2))));
                }
            }
        }
        return out;
    }

    /** The {@code webhook-id}: one per message, the same on every retry, so receivers can drop repeats. */
    static String newMessageId() {
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.randomBytes(18));
    }
}
