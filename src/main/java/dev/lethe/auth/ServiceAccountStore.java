package dev.lethe.auth;

import dev.lethe.crypto.Secrets;
import dev.lethe.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/** Machine credentials (HTTP Basic username + secret) with a role per project; secrets stored as hashes. */
public final class ServiceAccountStore {

    public record Created(long id, String username, String secret) {
    }

    public record Account(long id, String name, String username) {
    }

    private final Database db;
    private final Clock clock;
    private final CredentialChanges changes;

    /** @param changes told after every change that may withdraw access, for {@link GdprAuthenticator}'s cache */
    public ServiceAccountStore(Database db, Clock clock, CredentialChanges changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
    }

    public Created create(String name, long projectId, Role role) {
        String username = "sa-" + Secrets.random(12);
        String secret = Secrets.random(40);
        long id = db.inTransaction(c -> {
            long accountId;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_accounts (name, username, secret_hash, created_at) VALUES (?, ?, ?, ?)"
                            + " RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, username);
                ps.setString(3, Secrets.sha256Hex(secret));
                ps.setLong(4, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    accountId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_account_roles (service_account_id, project_id, role) VALUES (?, ?, ?)")) {
                ps.setLong(1, accountId);
                ps.setLong(2, projectId);
                ps.setString(3, role.wireName());
                ps.executeUpdate();
            }
            return accountId;
        });
        return new Created(id, username, secret);
    }

    /** The live account with this username whose secret matches; compared by hash in constant time. */
    public Optional<Account> authenticate(String username, String secret) {
        // why: no username holds U+0000, and PostgreSQL refuses to even compare text with one.
        if (username == null || secret == null || username.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, username, secret_hash FROM service_accounts WHERE username = ? AND revoked_at IS NULL")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !Secrets.constantTimeEquals(rs.getString(4), Secrets.sha256Hex(secret))) {
                        return Optional.empty();
                    }
                    return Optional.of(new Account(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        });
    }

    public Optional<Role> role(long accountId, long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT role FROM service_account_roles WHERE service_account_id = ? AND project_id = ?")) {
                ps.setLong(1, accountId);
                ps.setLong(2, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Role.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Revokes the account; returns whether it was live. */
    public boolean revoke(String username) {
        boolean revoked = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE service_accounts SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, username);
                return ps.executeUpdate() == 1;
            }
        });
        changes.changed();
        return revoked;
    }
}
