package dev.lethe.webhook;

import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sender's side of {@code webhook_deliveries}, on the pattern of {@code task/TaskClaims}: a
 * delivery is claimed with a versioned update that sets a lease, so of several senders sharing a
 * PostgreSQL store (candidates read with {@code SKIP LOCKED}) exactly one sends it; a sender that dies
 * leaves it to the next once the lease ends. Only the oldest unfinished delivery of a (webhook, task)
 * pair is due, so a receiver sees one task's events in the order they happened, retries included.
 */
final class DeliveryClaims {

    /** A delivery this sender holds until {@code leaseUntil}. */
    record Claimed(long id, long version, long webhookId, long taskId, String messageId, String event, String taskStatus,
                   long occurredAt, int attempts) {
    }

    /** One attempt's result: the receiver's status code, or the error that kept it from answering. */
    record Attempt(long at, Integer statusCode, String error, long durationMs) {
    }

    private static final int CANDIDATES = 8;
    private static final String DUE = "d.outcome = 'pending' AND d.next_attempt_at <= ? "
            + "AND (d.lease_until IS NULL OR d.lease_until <= ?) "
            + "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.task_id = d.task_id "
            + "AND e.id < d.id AND e.outcome = 'pending')";
    private static final String COLUMNS = "d.id, d.version, d.webhook_id, d.task_id, d.message_id, d.event, d.task_status, "
            + "d.occurred_at, d.attempts";

    private final Database db;

    DeliveryClaims(Database db) {
        this.db = db;
    }

    /** Claims the delivery due first, if any. */
    Optional<Claimed> claimNext(String owner, long now, long leaseUntil) {
        // why: an idle poll reads first, so it does not queue for the store's write lock to find nothing.
        if (!db.withConnection(tx -> anyDue(tx, now))) {
            return Optional.empty();
        }
        return db.inTransaction(tx -> {
            for (Claimed candidate : candidates(tx, now)) {
                try (PreparedStatement ps = tx.prepareStatement("UPDATE webhook_deliveries SET owner = ?, lease_until = ?, "
                        + "version = version + 1 WHERE id = ? AND version = ? AND outcome = 'pending'")) {
                    ps.setString(1, owner);
                    ps.setLong(2, leaseUntil);
                    ps.setLong(3, candidate.id());
                    ps.setLong(4, candidate.version());
                    if (won(ps.executeUpdate(), candidate.id())) {
                        return Optional.of(new Claimed(candidate.id(), candidate.version() + 1, candidate.webhookId(),
                                candidate.taskId(), candidate.messageId(), candidate.event(), candidate.taskStatus(),
                                candidate.occurredAt(), candidate.attempts()));
                    }
                }
            }
            return Optional.<Claimed>empty();
        });
    }

    /** The receiver took it (2xx). False when the delivery is no longer this sender's. */
    boolean delivered(Claimed c, Attempt a) {
        return finish(c, a, "delivered", null);
    }

    /** The receiver refused or did not answer; tried again at {@code retryAt}. */
    boolean retry(Claimed c, Attempt a, long retryAt) {
        return finish(c, a, WebhookOutbox.PENDING, retryAt);
    }

    /** Tried long enough: failed for good. */
    boolean failed(Claimed c, Attempt a) {
        return finish(c, a, "failed", null);
    }

    /** The webhook was deleted while this delivery was queued or in flight: it goes, with its log. */
    void discard(Claimed c) {
        db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM webhook_attempts WHERE delivery_id = ?")) {
                ps.setLong(1, c.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM webhook_deliveries WHERE id = ?")) {
                ps.setLong(1, c.id());
                return ps.executeUpdate();
            }
        });
    }

    /** The task it names is gone: ends it without an attempt. */
    boolean abandon(Claimed c, String reason, long now) {
        return finish(c, new Attempt(now, null, reason, 0), "failed", null, false);
    }

    private boolean finish(Claimed c, Attempt a, String outcome, Long retryAt) {
        return finish(c, a, outcome, retryAt, true);
    }

    private boolean finish(Claimed c, Attempt a, String outcome, Long retryAt, boolean attempted) {
        return db.inTransaction(tx -> {
            boolean won;
            try (PreparedStatement ps = tx.prepareStatement("UPDATE webhook_deliveries SET outcome = ?, attempts = attempts + ?, "
                    + "next_attempt_at = COALESCE(?, next_attempt_at), last_status_code = ?, last_error = ?, finished_at = ?, "
                    + "owner = NULL, lease_until = NULL, version = version + 1 WHERE id = ? AND version = ?")) {
                ps.setString(1, outcome);
                ps.setInt(2, attempted ? 1 : 0);
                ps.setObject(3, retryAt, Types.BIGINT);
                ps.setObject(4, a.statusCode(), Types.INTEGER);
                ps.setString(5, a.error());
                ps.setObject(6, WebhookOutbox.PENDING.equals(outcome) ? null : a.at(), Types.BIGINT);
                ps.setLong(7, c.id());
                ps.setLong(8, c.version());
                won = won(ps.executeUpdate(), c.id());
            }
            if (attempted) {
                // why: the attempt happened even if the lease was lost meanwhile; the log says so, unless the
                // webhook (and with it the delivery) was deleted while it was in flight.
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO webhook_attempts (delivery_id, attempted_at, "
                        + "status_code, error, duration_ms) SELECT ?, ?, ?, ?, ? WHERE EXISTS "
                        + "(SELECT 1 FROM webhook_deliveries WHERE id = ?)")) {
                    ps.setLong(1, c.id());
                    ps.setLong(2, a.at());
                    ps.setObject(3, a.statusCode(), Types.INTEGER);
                    ps.setString(4, a.error());
                    ps.setLong(5, a.durationMs());
                    ps.setLong(6, c.id());
                    ps.executeUpdate();
                }
            }
            return won;
        });
    }

    private static boolean anyDue(Tx tx, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM webhook_deliveries d WHERE " + DUE + " LIMIT 1")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The candidates' select, parameters now, now, limit; its plan is pinned by {@code DeliveryPlanContract}. */
    static String candidatesSql(String skipLocked) {
        return "SELECT " + COLUMNS + " FROM webhook_deliveries d WHERE " + DUE
                + " ORDER BY d.next_attempt_at, d.id LIMIT ?" + skipLocked;
    }

    private static List<Claimed> candidates(Tx tx, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(candidatesSql(tx.skipLocked()))) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setInt(3, CANDIDATES);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getLong(8), rs.getInt(9)));
                }
            }
            return out;
        }
    }

    /** 0 rows: another sender holds it now; 1: ours; more: the WHERE clause is broken. */
    private static boolean won(int rows, long id) {
        if (rows > 1) {
            throw new IllegalStateException("versioned update of webhook delivery " + id + " touched " + rows + " rows");
        }
        return rows == 1;
    }
}
