package dev.lethe.auth;

import dev.lethe.crypto.Secrets;
import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Personal GDPR bearer tokens. The token is shown once at issue; only its SHA-256 is stored.
 */
public final class TokenStore {

    /** Every token Lethe issues has this shape; anything else is malformed without a lookup. */
    public static final Pattern FORMAT = Pattern.compile("lgt_[a-z0-9]{40}");

    public record Issued(String token, Instant expiresAt) {
    }

    /** A stored token, looked up by its hash. */
    public record TokenRecord(long id, long userId, long expiresAt, Long revokedAt) {
        public boolean usableAt(long nowMs) {
            return revokedAt == null && nowMs < expiresAt;
        }
    }

    private final Database db;
    private final Clock clock;
    private final CredentialChanges changes;

    /** @param changes told after every change that may withdraw access, for {@link GdprAuthenticator}'s cache */
    public TokenStore(Database db, Clock clock, CredentialChanges changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
    }

    public Issued issue(long userId, Duration validity) {
        String token = "lgt_" + Secrets.random(40);
        long now = clock.millis();
        long expires = now + validity.toMillis();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO gdpr_tokens (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, userId);
                ps.setString(2, Secrets.sha256Hex(token));
                ps.setLong(3, now);
                ps.setLong(4, expires);
                return ps.executeUpdate();
            }
        });
        return new Issued(token, Instant.ofEpochMilli(expires));
    }

    public Optional<TokenRecord> find(String token) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return Optional.empty();
        }
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, user_id, expires_at, revoked_at FROM gdpr_tokens WHERE token_hash = ?")) {
                ps.setString(1, Secrets.sha256Hex(token));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long revoked = rs.getLong(4);
                    // why: wasNull() speaks of the last column read, so ask it before reading others.
                    Long revokedAt = rs.wasNull() ? null : revoked;
                    return Optional.of(new TokenRecord(rs.getLong(1), rs.getLong(2), rs.getLong(3), revokedAt));
                }
            }
        });
    }

    /** Revokes one token; returns whether it existed and was not already revoked. */
    public boolean revoke(String token) {
        boolean revoked = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gdpr_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, Secrets.sha256Hex(token));
                return ps.executeUpdate() == 1;
            }
        });
        changes.changed();
        return revoked;
    }

    /** Revokes every live token of the user; returns how many. */
    public int revokeAll(long userId) {
        int revoked = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gdpr_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, userId);
                return ps.executeUpdate();
            }
        });
        changes.changed();
        return revoked;
    }
}
