package dev.lethe.webhook;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code webhooks} table. The signing secret is sealed with the instance key: the sender must
 * recover it to sign, so a hash would not do, and a copy of the store without the key signs nothing.
 */
public final class WebhookStore {

    /** A new webhook and its secret in clear: shown once, never again. */
    public record Created(Webhook webhook, String secret) {
    }

    /** What the sender needs of a webhook: where, and the secret to sign with. */
    record Target(URI url, String secret) {
    }

    private final Database db;
    private final InstanceKey key;
    private final Clock clock;

    public WebhookStore(Database db, InstanceKey key, Clock clock) {
        this.db = db;
        this.key = key;
        this.clock = clock;
    }

    /** Registers a receiver; the caller has checked the project exists. */
    public Created create(long projectId, String url, Set<WebhookEvent> events) {
        URI checked = WebhookUrls.require(url);
        String secret = WebhookSignature.newSecret();
        long now = clock.millis();
        long id = db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO webhooks (project_id, url, events, secret_sealed, "
                    + "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, projectId);
                ps.setString(2, checked.toString());
                ps.setString(3, WebhookEvent.names(events));
                ps.setString(4, key.seal(secret));
                ps.setLong(5, now);
                try (ResultSet keys = ps.executeQuery()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new Created(new Webhook(id, projectId, checked.toString(), events, now), secret);
    }

    public List<Webhook> list(long projectId) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT id, project_id, url, events, created_at FROM webhooks "
                    + "WHERE project_id = ? ORDER BY id")) {
                ps.setLong(1, projectId);
                List<Webhook> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Webhook(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                WebhookEvent.parseList(rs.getString(4)), rs.getLong(5)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Removes the webhook of this project with its delivery log and the deliveries not yet sent, in
     * one transaction; false when the project has no such webhook.
     */
    public boolean delete(long projectId, long webhookId) {
        return db.inTransaction(tx -> {
            if (!exists(tx, projectId, webhookId)) {
                return false;
            }
            run(tx, "DELETE FROM webhook_attempts WHERE delivery_id IN "
                    + "(SELECT id FROM webhook_deliveries WHERE webhook_id = ?)", webhookId);
            run(tx, "DELETE FROM webhook_deliveries WHERE webhook_id = ?", webhookId);
            run(tx, "DELETE FROM webhooks WHERE id = ?", webhookId);
            return true;
        });
    }

    /** Whether the project has this webhook. */
    public boolean exists(long projectId, long webhookId) {
        return db.withConnection(tx -> exists(tx, projectId, webhookId));
    }

    /** The webhook's address and secret, empty once it was deleted. */
    Optional<Target> target(long webhookId) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT url, secret_sealed FROM webhooks WHERE id = ?")) {
                ps.setLong(1, webhookId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Target(URI.create(rs.getString(1)), key.unseal(rs.getString(2))))
                            : Optional.<Target>empty();
                }
            }
        });
    }

    private static boolean exists(Tx tx, long projectId, long webhookId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM webhooks WHERE id = ? AND project_id = ?")) {
            ps.setLong(1, webhookId);
            ps.setLong(2, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void run(Tx tx, String sql, long id) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
