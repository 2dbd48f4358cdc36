package dev.lethe.auth;

import dev.lethe.crypto.Secrets;
import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sign-in sessions, kept server-side in {@code console_sessions} by the SHA-256 of the
 * cookie value. A session ends at sign-out, after {@code idle} without a request, or {@code maxAge}
 * after sign-in, whichever comes first; a password change ends all of the user's sessions.
 */
public final class SessionStore {

    /** Every session value Lethe issues has this shape; anything else is refused without a lookup. */
    public static final Pattern FORMAT = Pattern.compile("lcs_[a-z0-9]{40}");

    /** A live session: {@code token} is the cookie value, known only at creation. */
    public record Session(String token, long userId, long expiresAt) {
    }

    private final Database db;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;

    public SessionStore(Database db, Clock clock, Duration idle, Duration maxAge) {
        this.db = db;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    public Session create(long userId) {
        String token = "lcs_" + Secrets.random(40);
        long now = clock.millis();
        long expires = now + maxAge.toMillis();
        db.inTransaction(c -> {
            // why: sessions nobody ended would otherwise pile up; the table holds only live operators' sessions
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE expires_at <= ?")) {
                ps.setLong(1, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO console_sessions "
                    + "(token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, Secrets.sha256Hex(token));
                ps.setLong(2, userId);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setLong(5, expires);
                return ps.executeUpdate();
            }
        });
        return new Session(token, userId, expires);
    }

    /**
     * The user of a live session, and marks it seen. An expired session is removed and yields
     * nothing, so every request after expiry must sign in again.
     */
    public Optional<Long> touch(String token) {
        if (token == null || !FORMAT.matcher(token).matches()) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token);
        long now = clock.millis();
        Optional<long[]> row = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, last_seen_at, expires_at FROM console_sessions WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}) : Optional.empty();
                }
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        long lastSeen = row.get()[1];
        if (now >= row.get()[2] || now >= lastSeen + idle.toMillis() || now < lastSeen - idle.toMillis()) {
            delete(hash);
            return Optional.empty();
        }
        // why: a page polls every few seconds; writing the row once a minute is enough to measure idleness
        if (now - lastSeen >= 60_000) {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?")) {
                    ps.setLong(1, now);
                    ps.setString(2, hash);
                    return ps.executeUpdate();
                }
            });
        }
        return Optional.of(row.get()[0]);
    }

    /** Ends the session (sign-out); unknown values are ignored. */
    public void end(String token) {
        if (token != null && FORMAT.matcher(token).matches()) {
            delete(Secrets.sha256Hex(token));
        }
    }

    /** Ends every session of the user; returns how many were open. */
    public int endAll(long userId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE user_id = ?")) {
                ps.setLong(1, userId);
                return ps.executeUpdate();
            }
        });
    }

    private void delete(String hash) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE token_hash = ?")) {
                ps.setString(1, hash);
                return ps.executeUpdate();
            }
        });
    }
}
