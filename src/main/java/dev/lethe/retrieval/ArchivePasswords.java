package dev.lethe.retrieval;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.Secrets;
import dev.lethe.store.Database;

import dev.lethe.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The per-archive passwords, sealed with the instance key until their one showing. Sealed, not
 * hashed, because Lethe itself never needs to check one (the ZIP tool does) but must show it once
 * after the task has finished, possibly on another instance than the worker that made it.
 */
public final class ArchivePasswords {

    /** 32 characters of [a-z0-9]: about 165 bits. */
    private static final int LENGTH = 32;

    private final Database db;
    private final InstanceKey key;

    public ArchivePasswords(Database db, InstanceKey key) {
        this.db = db;
        this.key = key;
    }

    static String generate() {
        return Secrets.random(LENGTH);
    }

    /** Keeps the password of a task's archive, in the transaction that marks the task SUCCESS. */
    void save(Tx c, long taskId, String password) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO archive_passwords (task_id, sealed) VALUES (?, ?) "
                        + "ON CONFLICT (task_id) DO UPDATE SET sealed = excluded.sealed")) {
            ps.setLong(1, taskId);
            ps.setString(2, key.seal(password));
            ps.executeUpdate();
        }
    }

    /** The password, to the first caller only: whoever deletes the row is the one who sees it. */
    public Optional<String> takeOnce(long taskId) {
        return db.inTransaction(c -> {
            String sealed;
            try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM archive_passwords WHERE task_id = ?")) {
                ps.setLong(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    sealed = rs.getString(1);
                }
            }
            return forget(c, taskId) == 1 ? Optional.of(key.unseal(sealed)) : Optional.empty();
        });
    }

    /** Removes a task's password (shown, or its archive purged or deleted); returns how many rows went. */
    static int forget(Tx c, long taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM archive_passwords WHERE task_id = ?")) {
            ps.setLong(1, taskId);
            return ps.executeUpdate();
        }
    }
}
