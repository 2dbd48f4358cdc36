package dev.lethe.auth;

import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/** Operators of Lethe (by email) and their role per project. */
public final class UserStore {

    public record User(long id, String email) {
    }

    private final Database db;
    private final Clock clock;
    private final CredentialChanges changes;

    /** @param changes told after every change that may withdraw access, for {@link GdprAuthenticator}'s cache */
    public UserStore(Database db, Clock clock, CredentialChanges changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
    }

    /** Creates the user; fails with {@link IllegalArgumentException} if the email is taken. */
    public User create(String email) {
        String normalised = email.trim();
        if (normalised.isEmpty() || !normalised.contains("@")) {
            throw new IllegalArgumentException("not an email address: '" + email + "'");
        }
        if (byEmail(normalised).isPresent()) {
            throw new IllegalArgumentException("a user with email " + normalised + " already exists");
        }
        long id = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (email, created_at) VALUES (?, ?) RETURNING id")) {
                ps.setString(1, normalised);
                ps.setLong(2, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new User(id, normalised);
    }

    public Optional<User> byEmail(String email) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM users WHERE email = ?")) {
                ps.setString(1, email.trim());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    public Optional<User> byId(long id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /** Gives the user this role on the project, replacing any earlier one. */
    public void grant(long userId, long projectId, Role role) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO memberships (user_id, project_id, role) VALUES (?, ?, ?) "
                            + "ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role")) {
                ps.setLong(1, userId);
                ps.setLong(2, projectId);
                ps.setString(3, role.wireName());
                return ps.executeUpdate();
            }
        });
        // why: the new role may be weaker than the one a cached caller was admitted with
        changes.changed();
    }

    public Optional<Role> role(long userId, long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT role FROM memberships WHERE user_id = ? AND project_id = ?")) {
                ps.setLong(1, userId);
                ps.setLong(2, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Role.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }
}
