package dev.lethe.project;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.Secrets;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Projects: created by the admin CLI, looked up by token (SDKs, GDPR API) or api_secret (/import). */
public final class ProjectStore {

    /** A freshly created project with its secrets, shown once. */
    public record Created(Project project, String apiSecret) {
    }

    private static final String COLUMNS = "id, name, token, region, created_at";

    private final Database db;
    private final InstanceKey key;
    private final Clock clock;

    public ProjectStore(Database db, InstanceKey key, Clock clock) {
        this.db = db;
        this.key = key;
        this.clock = clock;
    }

    public Created create(String name, Region region) {
        String token = Secrets.random(32);
        String apiSecret = Secrets.random(32);
        long now = clock.millis();
        long id = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO projects (name, token, api_secret_hash, api_secret_sealed, region, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, token);
                ps.setString(3, Secrets.sha256Hex(apiSecret));
                ps.setString(4, key.seal(apiSecret));
                ps.setString(5, region.name());
                ps.setLong(6, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Created(new Project(id, name, token, region, now), apiSecret);
    }

    public Optional<Project> byId(long id) {
        return db.withConnection(c -> one(c, "SELECT " + COLUMNS + " FROM projects WHERE id = ?", id));
    }

    public Optional<Project> byToken(String token) {
        // why: no token holds U+0000, and PostgreSQL refuses to even compare text with one (a 500 otherwise).
        if (token == null || token.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return db.withConnection(c -> one(c, "SELECT " + COLUMNS + " FROM projects WHERE token = ?", token));
    }

    /** Every project, oldest first. */
    public List<Project> list() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM projects ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                List<Project> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    /** The project whose api_secret this is; found by its hash, so the lookup is constant-time in effect. */
    public Optional<Project> byApiSecret(String apiSecret) {
        return db.withConnection(c -> one(c, "SELECT " + COLUMNS + " FROM projects WHERE api_secret_hash = ?",
                Secrets.sha256Hex(apiSecret)));
    }

    /** The plain api_secret, for encrypting archives with it. */
    public String apiSecret(long projectId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT api_secret_sealed FROM projects WHERE id = ?")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no project " + projectId);
                    }
                    return key.unseal(rs.getString(1));
                }
            }
        });
    }

    /** The project's own archive settings, or empty when it follows the instance's. */
    public Optional<ArchiveSettings> archiveSettings(long projectId) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT archive_encryption, archive_password FROM projects WHERE id = ?")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || (rs.getString(1) == null && rs.getString(2) == null)) {
                        return Optional.empty();
                    }
                    return Optional.of(new ArchiveSettings(rs.getString(1), rs.getString(2)));
                }
            }
        });
    }

    /** Sets the project's archive settings; null parts follow the instance. Returns whether the project exists. */
    public boolean setArchiveSettings(long projectId, ArchiveSettings settings) {
        return db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("UPDATE projects SET archive_encryption = ?, archive_password = ? WHERE id = ?")) {
                ps.setString(1, settings.encryption());
                ps.setString(2, settings.password());
                ps.setLong(3, projectId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The property names this project marks as personal beyond {@link PersonalProperties#DEFAULTS}; empty if none. */
    public List<String> personalProperties(long projectId) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT personal_properties FROM projects WHERE id = ?")) {
                ps.setLong(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return List.of();
                    }
                    return List.copyOf(Json.MAPPER.convertValue(Json.readTrusted(rs.getString(1)), NAMES));
                }
            }
        });
    }

    /** Replaces the project's own personal properties (an empty list keeps the defaults only); returns whether it exists. */
    public boolean setPersonalProperties(long projectId, List<String> names) {
        List<String> checked = PersonalProperties.validated(names);
        return db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("UPDATE projects SET personal_properties = ? WHERE id = ?")) {
                ps.setString(1, checked.isEmpty() ? null : Json.write(checked));
                ps.setLong(2, projectId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private static Optional<Project> one(Tx tx, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(read(rs));
            }
        }
    }

    private static Project read(ResultSet rs) throws SQLException {
        return new Project(rs.getLong(1), rs.getString(2), rs.getString(3), Region.valueOf(rs.getString(4)), rs.getLong(5));
    }
}
