package dev.lethe.auth;

import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/** The {@code user_passwords} table: one Argon2id hash per operator who may sign in to the console. */
public final class PasswordStore {

    private final Database db;
    private final Clock clock;
    private final Passwords passwords;

    public PasswordStore(Database db, Clock clock, Passwords passwords) {
        this.db = db;
        this.clock = clock;
        this.passwords = passwords;
    }

    /** Whether the password matches the user's stored hash (null: no password), at the cost a miss would have. */
    public boolean matches(String password, String hash) {
        return passwords.matches(password, hash);
    }

    /** Sets (or replaces) the user's password; fails with {@link IllegalArgumentException} if it is not acceptable. */
    public void set(long userId, String password) {
        String hash = passwords.hash(password);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO user_passwords (user_id, hash, updated_at) VALUES (?, ?, ?) "
                            + "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at")) {
                ps.setLong(1, userId);
                ps.setString(2, hash);
                ps.setLong(3, clock.millis());
                return ps.executeUpdate();
            }
        });
    }

    /** The stored hash, if the user has a password. */
    public Optional<String> hash(long userId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM user_passwords WHERE user_id = ?")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
