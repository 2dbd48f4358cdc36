package dev.lethe.auth;

import dev.lethe.domain.DomainException;
import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signing operators in to the privacy console and out again: the throttle first, then the
 * Argon2id check, then a new server-side session. One message for an unknown email and a wrong
 * password, and the same work for both, so the page does not tell which accounts exist.
 */
public final class ConsoleAuth {

    private static final String WRONG = "wrong email or password";

    private final Database db;
    private final UserStore users;
    private final PasswordStore passwords;
    private final SessionStore sessions;
    private final SignInThrottle throttle;

    public ConsoleAuth(Database db, UserStore users, PasswordStore passwords, SessionStore sessions, SignInThrottle throttle) {
        this.db = db;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /** A new session for the user whose password this is; throws unauthenticated or rate-limited. */
    public SessionStore.Session signIn(String email, String password, String address) {
        if (email == null || email.isBlank() || password == null || password.isEmpty()) {
            throw DomainException.invalidInput("enter your email and password");
        }
        throttle.check(email, address);
        // why: PostgreSQL cannot compare text holding U+0000; no stored email has one
        Optional<UserStore.User> user = email.indexOf('\0') >= 0 ? Optional.empty() : users.byEmail(email);
        String hash = user.flatMap(u -> passwords.hash(u.id())).orElse(null);
        if (!passwords.matches(password, hash)) {
            throttle.failed(email, address);
            throw DomainException.unauthenticated(WRONG);
        }
        return sessions.create(user.get().id());
    }

    /** The operator signed in with this session cookie, if the session is live. */
    public Optional<UserStore.User> user(String sessionToken) {
        return sessions.touch(sessionToken).flatMap(users::byId);
    }

    public void signOut(String sessionToken) {
        sessions.end(sessionToken);
    }

    /** Sets the user's password and ends their open sessions, so a leaked session dies with the old password. */
    public void setPassword(long userId, String password) {
        passwords.set(userId, password);
        sessions.endAll(userId);
    }

    /** The user's role on each project they belong to, by project id. */
    public Map<Long, Role> roles(long userId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT project_id, role FROM memberships WHERE user_id = ? ORDER BY project_id")) {
                ps.setLong(1, userId);
                Map<Long, Role> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), Role.parse(rs.getString(2)));
                    }
                }
                return out;
            }
        });
    }
}
